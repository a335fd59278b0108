/**
 * Faults under load: the connector side's router is killed (SIGKILL) while 1,000 streams carry
 * data through client → A (tcpListener) → B (tcpConnector) → echo server, then started again.
 *
 * - Every stream ends at its client either intact (all bytes back, sha256 equal) or failed (a
 *   socket error, or a reply cut short whose bytes all match what was sent); none is corrupt and
 *   none is left open past a deadline of twice the idle timeout after the kill.
 * - "Restart" is the new B process logging that it has started (config loaded, connectors
 *   dialling): within 2 s of that, a new connection through A echoes intact.
 * - A B restarted without its tcpConnector takes the address with it: A forgets what the old B
 *   announced and keeps its listener closed.
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, waitFor, type ConfigEntity, type RouterProcess } from '../support/router-process.js';
import { freePort, startEchoServer, startEchoStream, tallyEchoes, tryConnect, type EchoServer } from '../support/tcp-peers.js';

const STREAMS = 1000;
const KiB = 1024;
/** The inter-router idle timeout (the router's default): what a router takes at most to notice. */
const IDLE_TIMEOUT_MS = 16_000;

let echo: EchoServer;
let a: RouterProcess;
let b: RouterProcess;
let listenerPort = 0;
let connectorSide: ConfigEntity[];

beforeAll(async () => {
  echo = await startEchoServer();
  listenerPort = await freePort();
  a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
    ['tcpListener', { name: 'echo-in', host: '127.0.0.1', port: listenerPort, address: 'echo' }],
  ]);
  connectorSide = [
    ['router', { id: 'B', mode: 'interior' }],
    ['connector', { name: 'to-A', host: '127.0.0.1', port: a.ports.get('inter-router')!, role: 'inter-router' }],
    ['tcpConnector', { name: 'echo-out', host: '127.0.0.1', port: echo.port, address: 'echo' }],
  ];
  b = await startRouter('B', connectorSide, { waitForListeners: false });
  await a.waitForLog(/tcpListener echo-in listening on/, 15_000);
});

afterAll(async () => {
  await stopAllRouters();
  await echo.close();
});

/** When a router wrote a log line, from its ISO timestamp. */
function loggedAt(line: string): number {
  return Date.parse(line.slice(0, line.indexOf(' ')));
}

/** Echoes through A until one comes back intact; resolves when it did. */
async function untilEchoed(timeoutMs: number): Promise<number> {
  await waitFor(async () => (await startEchoStream(listenerPort, 64 * KiB, { timeoutMs: 5000 }).result).outcome === 'intact', 'an intact echo through A', timeoutMs);
  return Date.now();
}

describe('faults - connector router killed and restarted under load', () => {
  it('every stream ends intact or failed, none corrupt or hanging; new connections succeed within 2 s of the restart', { timeout: 120_000 }, async () => {
    // Each stream keeps 16 KiB unechoed at most, so it lasts many round trips: at the kill most are mid-way.
    const streams = Array.from({ length: STREAMS }, () => startEchoStream(listenerPort, randomInt(128 * KiB, 384 * KiB), { window: 16 * KiB }));
    try {
      await waitFor(() => streams.every((s) => s.receivedBytes > 0 || s.settled), 'bytes echoed on every stream', 60_000);
      const inFlight = streams.filter((s) => !s.settled).length;
      const killed = Date.now();
      const allEnded = Promise.all(streams.map((s) => s.result)).then(() => Date.now());
      b.kill('SIGKILL');

      b = await startRouter('B', connectorSide, { waitForListeners: false });
      const started = loggedAt(await b.waitForLog(/router B started/, 15_000));
      const served = await untilEchoed(15_000);

      await waitFor(() => streams.every((s) => s.settled), 'every stream to end', killed + 2 * IDLE_TIMEOUT_MS - Date.now()).catch(() => undefined);
      const open = streams.filter((s) => !s.settled).length;
      const results = await Promise.all(streams.filter((s) => s.settled).map((s) => s.result));
      const counts = tallyEchoes(results);
      const endedMs = open === 0 ? (await allEnded) - killed : NaN;
      console.log(
        `connector router killed with ${inFlight} of ${STREAMS} streams in flight: ${counts.intact} intact, ${counts.failed} failed, ${counts.corrupt} corrupt, ${open} open; ` +
          `all ended ${endedMs} ms after the kill; new B started ${started - killed} ms after the kill, first new echo ${served - started} ms after its start`,
      );
      expect(inFlight).toBeGreaterThan(STREAMS / 2);
      expect(open).toBe(0);
      expect(results.filter((r) => r.outcome === 'corrupt').map((r) => r.problem)).toEqual([]);
      expect(served - started).toBeLessThan(2000);

      // And the restarted path carries a burst of new connections, every one intact.
      const after = await Promise.all(Array.from({ length: 100 }, () => startEchoStream(listenerPort, 64 * KiB, { timeoutMs: 30_000 }).result));
      expect(tallyEchoes(after)).toEqual({ intact: 100, failed: 0, corrupt: 0 });
    } finally {
      for (const s of streams) s.destroy();
    }
  });

  it('a connector router restarted without its tcpConnector no longer counts as a destination', async () => {
    const since = a.log().length;
    const previousStart = loggedAt(await b.waitForLog(/router B started/));
    b.kill('SIGKILL');
    await a.waitForLog(/tcpListener echo-in: no reachable connector for echo, port closed/, 15_000, since);
    // A router's instance is the second it started in (as skupper-router's): a restart within the
    // same second looks like the same router to its neighbors.
    await waitFor(() => Date.now() >= (Math.floor(previousStart / 1000) + 1) * 1000, 'the next second');
    b = await startRouter('B', connectorSide.filter(([type]) => type !== 'tcpConnector'), { waitForListeners: false });
    await a.waitForLog(/address echo no longer has consumers on B/, 15_000, since);
    await a.waitForLog(/route to B: via B/, 15_000, since);
    // The listener may have opened for a moment on what the old B announced: it closes again.
    await waitFor(async () => (await tryConnect(listenerPort)) === 'ECONNREFUSED', 'connections to A refused', 5000);
  });
});
