/**
 * Edge E has connectors to A and to B; A and B link to C. E's address is known on
 * C; when its interior dies, E re-attaches through the other and its address is known on C again within 10 s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllClients, receive, send } from '../support/amqp-clients.js';
import { startRouter, stopAllRouters, waitFor, type RouterProcess } from '../support/router-process.js';

let a: RouterProcess;
let b: RouterProcess;
let c: RouterProcess;
let e: RouterProcess;

const interior = (id: string, cPort?: number): Array<[string, Record<string, unknown>]> => [
  ['router', { id, mode: 'interior' }],
  ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
  ['listener', { name: 'edge', host: '127.0.0.1', port: 0, role: 'edge' }],
  ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
  ...(cPort === undefined ? [] : [['connector', { name: 'to-C', host: '127.0.0.1', port: cPort, role: 'inter-router' }] as [string, Record<string, unknown>]]),
];

beforeAll(async () => {
  c = await startRouter('C', interior('C'));
  a = await startRouter('A', interior('A', c.ports.get('inter-router')!));
  b = await startRouter('B', interior('B', c.ports.get('inter-router')!));
  e = await startRouter('E', [
    ['router', { id: 'E', mode: 'edge' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
    ['connector', { name: 'uplink-A', host: '127.0.0.1', port: a.ports.get('edge')!, role: 'edge' }],
    ['connector', { name: 'uplink-B', host: '127.0.0.1', port: b.ports.get('edge')!, role: 'edge' }],
  ]);
  await c.waitForLog(/route to A: via A/, 15_000);
  await c.waitForLog(/route to B: via B/, 15_000);
  await e.waitForLog(/edge uplink to [AB] active/);
});

afterAll(async () => {
  closeAllClients();
  await stopAllRouters();
});

describe('edge routers', () => {
  let active = '';

  it("an address with a consumer on the edge is known on C, through the edge's interior", async () => {
    const receiver = receive(e.ports.get('amqp')!, 'edge/address');
    await receiver.ready;
    active = /edge uplink to ([AB]) active/.exec(e.log())![1]!;
    await c.waitForLog(new RegExp(`address edge/address now has consumers on ${active}`), 5000);
    const result = await send(c.ports.get('amqp')!, 'edge/address', ['to the edge']);
    expect(result.outcomes).toEqual(['accepted']);
    await waitFor(() => receiver.bodies.length === 1, 'message on E');
    expect(receiver.bodies).toEqual(['to the edge']);
  });

  it('when its interior dies, the edge re-attaches to the other one and C knows the address again within 10 s', async () => {
    // E's two connectors dial at once: whichever interior it attached to first is the one to kill.
    const other = active === 'A' ? 'B' : 'A';
    const started = Date.now();
    (active === 'A' ? a : b).kill('SIGKILL');
    await e.waitForLog(new RegExp(`edge uplink to ${other} active`), 10_000);
    await waitFor(() => new RegExp(`address edge/address now has consumers on ${other}`).test(c.log()), 'address via the other interior', 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
