/**
 * The square A–B–C / A–D–C of interior routers, the B side cheaper (A reaches C at cost 2 through
 * B, at cost 10 through D): for tests of what happens when B dies or freezes.
 */
import { startRouter, type ConfigEntity, type RouterProcess } from './router-process.js';

export interface Square {
  a: RouterProcess;
  b: RouterProcess;
  c: RouterProcess;
  d: RouterProcess;
}

/** Starts the square, A and C with `extra` entities each; resolves once A routes to C through B. */
export async function startSquare(extra: { a?: ConfigEntity[]; c?: ConfigEntity[] } = {}): Promise<Square> {
  const corner = (id: string, entities: ConfigEntity[] = []): Promise<RouterProcess> =>
    startRouter(id, [['router', { id, mode: 'interior' }], ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }], ...entities]);
  const a = await corner('A', extra.a);
  const c = await corner('C', extra.c);
  const middle = (id: string, cost: number): Promise<RouterProcess> =>
    startRouter(id, [
      ['router', { id, mode: 'interior' }],
      ['connector', { name: 'to-A', host: '127.0.0.1', port: a.ports.get('inter-router')!, role: 'inter-router', cost }],
      ['connector', { name: 'to-C', host: '127.0.0.1', port: c.ports.get('inter-router')!, role: 'inter-router', cost }],
    ], { waitForListeners: false });
  const b = await middle('B', 1);
  const d = await middle('D', 5);
  await a.waitForLog(/route to C: via B, cost 2/, 15_000);
  await a.waitForLog(/route to D: via D, cost 5/, 15_000);
  return { a, b, c, d };
}
