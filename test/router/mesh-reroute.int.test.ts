/**
 * Square A–B–C / A–D–C, the B side cheaper: A→C goes through B; when B dies the route moves to
 * D within 2 s, and when B freezes (SIGSTOP: no HELLOs, sockets open) within 6 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stopAllRouters, waitFor, type RouterProcess } from '../support/router-process.js';
import { startSquare } from '../support/square-mesh.js';

afterEach(async () => {
  await stopAllRouters();
});

/** Milliseconds from now until A's log shows C routed through D. */
async function untilRerouted(a: RouterProcess, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(() => /route to C: via D, cost 10/.test(a.log()), 'route A→C via D', timeoutMs);
  return Date.now() - started;
}

describe('mesh - rerouting in a square', () => {
  it('takes the cheaper side, and moves within 2 s when its middle router is killed', async () => {
    const { a, b } = await startSquare();
    expect(a.log()).toMatch(/route to C: via B, cost 2/);
    b.kill('SIGKILL');
    expect(await untilRerouted(a, 5000)).toBeLessThan(2000);
  });

  it('moves within 6 s when the middle router freezes', async () => {
    const { a, b } = await startSquare();
    b.kill('SIGSTOP');
    expect(await untilRerouted(a, 10_000)).toBeLessThan(6000);
  });
});
