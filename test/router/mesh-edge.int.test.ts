/**
 * Edge E has connectors to A and to B; A and B link to C. E's address is known on
 * C; multicast crosses the uplink both ways, once; when its interior dies, E re-attaches through
 * the other and its address is known on C again within 10 s.
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
  ['address', { prefix: 'mc', distribution: 'multicast' }],
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
    ['address', { prefix: 'mc', distribution: 'multicast' }],
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

  it('multicast from the edge reaches the mesh and its own consumer once, and multicast from the mesh reaches the edge', async () => {
    const onC = receive(c.ports.get('amqp')!, 'mc/news');
    const onE = receive(e.ports.get('amqp')!, 'mc/news');
    await Promise.all([onC.ready, onE.ready]);
    await c.waitForLog(new RegExp(`address mc/news now has consumers on ${active}`), 5000);
    await (active === 'A' ? a : b).waitForLog(/address mc\/news now has consumers on C/, 5000);
    expect((await send(e.ports.get('amqp')!, 'mc/news', ['from the edge'])).outcomes).toEqual(['accepted']);
    await waitFor(() => onC.bodies.length === 1 && onE.bodies.length === 1, 'the edge message on C and on E');
    expect((await send(c.ports.get('amqp')!, 'mc/news', ['from C'])).outcomes).toEqual(['accepted']);
    await waitFor(() => onC.bodies.length === 2 && onE.bodies.length === 2, 'the message from C on C and on E');
    // Nothing comes back a second time (the interior does not return an edge's message to it): a
    // marker sent after them takes the path a returned copy would, so it arrives after any such copy.
    expect((await send(c.ports.get('amqp')!, 'mc/news', ['marker'])).outcomes).toEqual(['accepted']);
    await waitFor(() => onC.bodies.includes('marker') && onE.bodies.includes('marker'), 'the marker on C and on E');
    expect(onC.bodies).toEqual(['from the edge', 'from C', 'marker']);
    expect(onE.bodies).toEqual(['from the edge', 'from C', 'marker']);
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
