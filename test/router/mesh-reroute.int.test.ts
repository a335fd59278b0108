/**
 * Square A–B–C / A–D–C, the B side cheaper: A→C goes through B; when B dies the route moves to
 * D within 2 s, and when B freezes (SIGSTOP: no HELLOs, sockets open) within 6 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, waitFor, type RouterProcess } from '../support/router-process.js';

afterEach(async () => {
  await stopAllRouters();
});

async function square(): Promise<{ a: RouterProcess; b: RouterProcess }> {
  const a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
  ]);
  const c = await startRouter('C', [
    ['router', { id: 'C', mode: 'interior' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
  ]);
  const middle = (id: string, cost: number): Promise<RouterProcess> =>
    startRouter(id, [
      ['router', { id, mode: 'interior' }],
      ['connector', { name: 'to-A', host: '127.0.0.1', port: a.ports.get('inter-router')!, role: 'inter-router', cost }],
      ['connector', { name: 'to-C', host: '127.0.0.1', port: c.ports.get('inter-router')!, role: 'inter-router', cost }],
    ], { waitForListeners: false });
  const b = await middle('B', 1);
  await middle('D', 5);
  await a.waitForLog(/route to C: via B, cost 2/, 15_000);
  await a.waitForLog(/route to D: via D, cost 5/, 15_000);
  return { a, b };
}

/** Milliseconds from now until A's log shows C routed through D. */
async function untilRerouted(a: RouterProcess, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(() => /route to C: via D, cost 10/.test(a.log()), 'route A→C via D', timeoutMs);
  return Date.now() - started;
}

describe('mesh - rerouting in a square', () => {
  it('takes the cheaper side, and moves within 2 s when its middle router is killed', async () => {
    const { a, b } = await square();
    expect(a.log()).toMatch(/route to C: via B, cost 2/);
    b.kill('SIGKILL');
    expect(await untilRerouted(a, 5000)).toBeLessThan(2000);
  });

  it('moves within 6 s when the middle router freezes', async () => {
    const { a, b } = await square();
    b.kill('SIGSTOP');
    expect(await untilRerouted(a, 10_000)).toBeLessThan(6000);
  });
});
