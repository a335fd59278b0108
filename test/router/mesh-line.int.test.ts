import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllClients, receive, send } from '../support/amqp-clients.js';
import { ManagementClient, rowsOf } from '../support/management-client.js';
import { startRouter, stopAllRouters, waitFor, type RouterProcess } from '../support/router-process.js';

let a: RouterProcess;
let b: RouterProcess;
let c: RouterProcess;
const amqp = (r: RouterProcess): number => r.ports.get('amqp')!;
const multicast: [string, Record<string, unknown>] = ['address', { prefix: 'golden/multicast', distribution: 'multicast' }];

beforeAll(async () => {
  a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
    multicast,
  ]);
  b = await startRouter('B', [
    ['router', { id: 'B', mode: 'interior' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
    ['connector', { name: 'to-A', host: '127.0.0.1', port: a.ports.get('inter-router')!, role: 'inter-router' }],
    multicast,
  ]);
  c = await startRouter('C', [
    ['router', { id: 'C', mode: 'interior' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
    ['connector', { name: 'to-B', host: '127.0.0.1', port: b.ports.get('inter-router')!, role: 'inter-router' }],
    multicast,
  ]);
  await a.waitForLog(/route to C: via B, cost 2/, 15_000);
});

afterAll(async () => {
  closeAllClients();
  await stopAllRouters();
});

describe('mesh - a line A–B–C', () => {
  it('an address attached on C is known on A within 2 s', async () => {
    const receiver = receive(amqp(c), 'golden/anycast');
    await receiver.ready;
    const started = Date.now();
    await a.waitForLog(/address golden\/anycast now has consumers on C/, 5000);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('anycast: messages sent on A reach the receiver on C, and A sees them accepted', async () => {
    const receiver = receive(amqp(c), 'golden/echo-anycast');
    await receiver.ready;
    const result = await send(amqp(a), 'golden/echo-anycast', ['one', 'two', 'three']);
    expect(result.outcomes).toEqual(['accepted', 'accepted', 'accepted']);
    await waitFor(() => receiver.bodies.length === 3, 'three messages on C');
    expect(receiver.bodies).toEqual(['one', 'two', 'three']);
  });

  it('multicast: receivers on B and C each get every message', async () => {
    const onB = receive(amqp(b), 'golden/multicast');
    const onC = receive(amqp(c), 'golden/multicast');
    await Promise.all([onB.ready, onC.ready]);
    await a.waitForLog(/address golden\/multicast now has consumers on C/, 5000);
    await a.waitForLog(/address golden\/multicast now has consumers on B/, 5000);
    const result = await send(amqp(a), 'golden/multicast', ['m1', 'm2', 'm3']);
    expect(result.outcomes).toEqual(['accepted', 'accepted', 'accepted']);
    await waitFor(() => onB.bodies.length === 3 && onC.bodies.length === 3, 'multicast copies');
    expect(onB.bodies).toEqual(['m1', 'm2', 'm3']);
    expect(onC.bodies).toEqual(['m1', 'm2', 'm3']);
  });

  it('a management QUERY of router.node on A lists B and C with their next hop and cost', async () => {
    const client = await ManagementClient.connect(amqp(a));
    try {
      const rows = rowsOf(await client.query('router.node', ['id', 'nextHop', 'cost']));
      expect(rows).toEqual([
        { id: 'A', nextHop: '(self)', cost: null },
        { id: 'B', nextHop: null, cost: 1 },
        { id: 'C', nextHop: 'B', cost: 2 },
      ]);
    } finally {
      client.close();
    }
  });

  it('router.link and router.address show the inter-router links and where an address is consumed', async () => {
    const client = await ManagementClient.connect(amqp(a));
    try {
      const links = rowsOf(await client.query('router.link', ['linkType', 'linkDir', 'operStatus']));
      expect(links.filter((l) => l.linkType === 'router-control')).toHaveLength(2);
      expect(links.filter((l) => l.linkType === 'inter-router' && l.operStatus === 'up').length).toBeGreaterThanOrEqual(20);
      const addresses = rowsOf(await client.query('router.address', ['key', 'remoteCount', 'remoteHostRouters']));
      expect(addresses).toContainEqual({ key: 'Mgolden/anycast', remoteCount: 1, remoteHostRouters: ['C'] });
    } finally {
      client.close();
    }
  });

  it("a management QUERY sent on A to _topo/0/C/$management answers with C's connections", async () => {
    const client = await ManagementClient.connect(amqp(a), '_topo/0/C/$management');
    try {
      const rows = rowsOf(await client.query('connection', ['role', 'container', 'dir']));
      expect(rows).toContainEqual({ role: 'inter-router', container: 'B', dir: 'out' });
      expect(rows.some((r) => r.container === 'A')).toBe(false);
    } finally {
      client.close();
    }
  });
});
