/**
 * Faults under load: in the square A–B–C / A–D–C (B the cheaper side), B is frozen (SIGSTOP) for
 * 10 s while streams run client → A → B → C → echo server, then thawed (SIGCONT). What must hold:
 *
 * - While B is frozen its sockets stay open but it says nothing: A routes around it (through D)
 *   once B's HELLOs are overdue, and new connections echo intact through D.
 * - After SIGCONT the mesh recovers: A routes through B again, and new connections echo intact.
 * - A freeze shorter than the idle timeout (16 s) is a pause, not a failure: B's connections stay
 *   up, and every stream that was passing through B completes intact once it thaws (none corrupt,
 *   none failed, none still open two idle timeouts after the thaw).
 */
import { randomInt } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAllRouters, waitFor } from '../support/router-process.js';
import { startSquare, type Square } from '../support/square-mesh.js';
import { freePort, startEchoServer, startEchoStream, tallyEchoes, type EchoServer } from '../support/tcp-peers.js';

const STREAMS = 300;
const KiB = 1024;
const FROZEN_MS = 10_000;
/** The inter-router idle timeout (the router's default). */
const IDLE_TIMEOUT_MS = 16_000;

let echo: EchoServer;
let square: Square;
let listenerPort = 0;

beforeAll(async () => {
  echo = await startEchoServer();
  listenerPort = await freePort();
  square = await startSquare({
    a: [['tcpListener', { name: 'echo-in', host: '127.0.0.1', port: listenerPort, address: 'echo' }]],
    c: [['tcpConnector', { name: 'echo-out', host: '127.0.0.1', port: echo.port, address: 'echo' }]],
  });
  await square.a.waitForLog(/tcpListener echo-in listening on/, 15_000);
});

afterAll(async () => {
  await stopAllRouters();
  await echo.close();
});

/** `count` new connections of 64 KiB through A, all at once; their outcomes. */
async function burst(count: number): Promise<ReturnType<typeof tallyEchoes>> {
  return tallyEchoes(await Promise.all(Array.from({ length: count }, () => startEchoStream(listenerPort, 64 * KiB, { timeoutMs: 30_000 }).result)));
}

describe('faults - a middle router frozen under load', () => {
  it('A routes around the frozen B, the mesh recovers after SIGCONT, and every stream through B completes intact', { timeout: 120_000 }, async () => {
    const { a, b, c } = square;
    // Each stream keeps 16 KiB unechoed at most: all are mid-way, through B, when it freezes.
    const streams = Array.from({ length: STREAMS }, () => startEchoStream(listenerPort, randomInt(256 * KiB, 512 * KiB), { window: 16 * KiB }));
    try {
      await waitFor(() => streams.every((s) => s.receivedBytes > 0 || s.settled), 'bytes echoed on every stream', 60_000);
      const inFlight = streams.filter((s) => !s.settled).length;
      const since = { a: a.log().length, c: c.log().length };
      const frozen = Date.now();
      b.kill('SIGSTOP');

      // Both ends route around B (each notices on its own clock; replies go C → A) before new connections.
      await a.waitForLog(/route to C: via D, cost 10/, FROZEN_MS, since.a);
      await c.waitForLog(/route to A: via D, cost 10/, FROZEN_MS, since.c);
      const rerouted = Date.now() - frozen;
      const whileFrozen = burst(100);
      await delay(frozen + FROZEN_MS - Date.now());

      const thawedAt = a.log().length;
      const thawed = Date.now();
      b.kill('SIGCONT');
      const frozenMs = thawed - frozen;
      await a.waitForLog(/route to C: via B, cost 2/, 15_000, thawedAt);
      const recovered = Date.now() - thawed;
      const afterThaw = await burst(100);

      await waitFor(() => streams.every((s) => s.settled), 'every stream to end', thawed + 2 * IDLE_TIMEOUT_MS - Date.now()).catch(() => undefined);
      const open = streams.filter((s) => !s.settled).length;
      const results = await Promise.all(streams.filter((s) => s.settled).map((s) => s.result));
      const counts = tallyEchoes(results);
      console.log(
        `B frozen ${frozenMs} ms with ${inFlight} of ${STREAMS} streams through it: ${counts.intact} intact, ${counts.failed} failed, ${counts.corrupt} corrupt, ${open} open; ` +
          `A and C rerouted through D ${rerouted} ms after SIGSTOP and back through B ${recovered} ms after SIGCONT`,
      );
      expect(inFlight).toBeGreaterThan(STREAMS / 2);
      expect(await whileFrozen).toEqual({ intact: 100, failed: 0, corrupt: 0 });
      expect(afterThaw).toEqual({ intact: 100, failed: 0, corrupt: 0 });
      expect(open).toBe(0);
      expect(results.filter((r) => r.outcome !== 'intact').map((r) => r.problem)).toEqual([]);
    } finally {
      for (const s of streams) s.destroy();
    }
  });
});
