/**
 * A router that has nothing holding its event loop but a connector and a tcpConnector toward
 * refused addresses (regression for 1915e9d: it exited once only the unref'd retry timer was left)
 * runs until it is told to stop, then stops at once on SIGTERM. It also runs on, idle, when whoever
 * read its log goes away (it spun at full CPU logging its failure to log).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, terminate, waitFor } from '../support/router-process.js';
import { freePort } from '../support/tcp-peers.js';

afterAll(() => stopAllRouters());

describe('router daemon - stays alive with only refused connectors', () => {
  it('retries the refused connector, does not exit, and stops on SIGTERM with code 0', async () => {
    const refused = await freePort();
    const router = await startRouter('lonely', [
      ['router', { id: 'lonely', mode: 'interior' }],
      ['connector', { name: 'to-nowhere', host: '127.0.0.1', port: refused, role: 'inter-router' }],
      ['tcpConnector', { name: 'svc-out', host: '127.0.0.1', port: refused, address: 'svc' }],
    ]);
    await router.waitForLog(/router lonely started/);
    // Backoff 250, 500, 1000 ms: three failures span more than a second of idle waiting.
    await waitFor(() => (router.log().match(/connector to-nowhere: connection to 127\.0\.0\.1:\d+ failed/g) ?? []).length >= 3, 'three refused dials', 10_000);
    await new Promise((r) => setTimeout(r, 2500));
    expect(router.process.exitCode).toBeNull();
    expect(router.process.signalCode).toBeNull();
    const exit = await terminate(router);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.elapsedMs).toBeLessThan(2000);
  });

  it('runs on idle when the reader of its log goes away, and still stops on SIGTERM', async () => {
    const refused = await freePort();
    const router = await startRouter('orphan', [
      ['router', { id: 'orphan', mode: 'interior' }],
      // Logs a refusal every few seconds: each line is a write to the closed pipe.
      ['connector', { name: 'to-nowhere', host: '127.0.0.1', port: refused, role: 'inter-router' }],
    ]);
    await router.waitForLog(/router orphan started/);
    router.process.stderr?.destroy();
    router.process.stdout?.destroy();
    await new Promise((r) => setTimeout(r, 2000));
    const before = cpuSeconds(router.process.pid!);
    await new Promise((r) => setTimeout(r, 4000));
    // Four seconds with at least one refused dial logged: an idle router uses a few ms of CPU.
    expect(cpuSeconds(router.process.pid!) - before).toBeLessThan(0.5);
    const exit = await terminate(router);
    expect(exit).toMatchObject({ code: 0, signal: null });
  });
});

/** User plus system CPU time of a process, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
