/**
 * The forwarder and its destination choice, over engine connections joined in memory (no
 * sockets): what reaches a local consumer, what an in-process service takes, what is dropped and
 * counted, and where messages and streams go among local targets, routes, edges and the uplink.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Encoder } from '../../router/src/amqp/codec/encoder.js';
import { decodeMessage, encodeMessage, type Message } from '../../router/src/amqp/codec/message.js';
import type { Connection } from '../../router/src/amqp/engine/connection.js';
import type { Link } from '../../router/src/amqp/engine/link.js';
import { DistributionRules } from '../../router/src/core/addresses.js';
import type { LocalTargets } from '../../router/src/core/destinations.js';
import type { Uplink } from '../../router/src/core/edge-uplink.js';
import { Forwarder } from '../../router/src/core/forwarder.js';
import { viewMessage, type MessageView } from '../../router/src/core/message-view.js';
import { Neighbor } from '../../router/src/core/neighbor.js';
import { RouteTable } from '../../router/src/core/route-table.js';
import type { StreamSink } from '../../router/src/core/stream.js';
import { enginePair, until } from '../support/engine-pair.js';

const open: Connection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

function message(m: Message): Buffer {
  const enc = new Encoder(256);
  encodeMessage(enc, m);
  return Buffer.from(enc.view());
}

/** A router 'A' with a forwarder, and a client whose receivers become its local consumers. */
async function routerWithClient(distribution: 'closest' | 'balanced' = 'closest') {
  const { client, server, serverSessions } = await enginePair('A');
  open.push(client, server);
  const routes = new RouteTable();
  const neighbors = new Map<string, Neighbor>();
  const rules = new DistributionRules(distribution);
  const forwarder = new Forwarder('A', routes, neighbors, rules);
  const session = client.beginSession();
  await until(() => serverSessions.length === 1);
  const routerLinks: Link[] = [];
  serverSessions[0]!.onRemoteAttach = (link) => {
    link.attach({ source: link.remoteSource ?? null, target: null });
    forwarder.tables.addConsumer(`M${link.remoteSource?.address ?? ''}`, link);
    link.onCredit = () => forwarder.drainLocal(link);
    routerLinks.push(link);
  };
  /** A client receiver on `address` with `credit`; resolves with what it receives. */
  const consumer = async (address: string, credit: number) => {
    const got: Message[] = [];
    const link = session.createLink(`r-${address}-${routerLinks.length}`, 'receiver');
    link.onDelivery = (d) => got.push(decodeMessage(d.payload()));
    link.attach({ source: { address }, target: null });
    await until(() => link.state === 'attached');
    if (credit > 0) link.flow(credit);
    await until(() => routerLinks.at(-1)?.credit === credit);
    return { got, link: routerLinks.at(-1)!, receiver: link };
  };
  return { forwarder, routes, neighbors, rules, consumer, client, server };
}

const forward = (f: Forwarder, bytes: Buffer, from: Neighbor | undefined = undefined): void => f.forward({ bytes, delivery: undefined, from, linkTarget: undefined, logId: undefined });

describe('forwarder - messages', () => {
  it('delivers to a local consumer without router annotations, taking turns among consumers', async () => {
    const { forwarder, consumer } = await routerWithClient();
    const one = await consumer('q', 10);
    const two = await consumer('q', 10);
    for (let i = 0; i < 4; i++) forward(forwarder, message({ routerAnnotations: { flags: 0, toOverride: null, ingressRouter: '0/X', trace: ['0/X'], ingressMesh: null }, properties: { to: 'q' }, body: `m${i}` }));
    await until(() => one.got.length + two.got.length === 4);
    expect(one.got.map((m) => m.body)).toEqual(['m0', 'm2']);
    expect(two.got.map((m) => m.body)).toEqual(['m1', 'm3']);
    expect(one.got[0]!.routerAnnotations).toBeUndefined();
    expect(forwarder.delivered).toBe(4);
  });

  it('holds messages for a consumer without credit and sends them when credit comes', async () => {
    const { forwarder, consumer } = await routerWithClient();
    const c = await consumer('q', 0);
    forward(forwarder, message({ properties: { to: 'q' }, body: 'later' }));
    expect(forwarder.undelivered(c.link)).toBe(1);
    expect(c.got).toEqual([]);
    c.receiver.flow(1);
    await until(() => c.got.length === 1);
    expect(c.got[0]!.body).toBe('later');
    expect(forwarder.undelivered(c.link)).toBe(0);
  });

  it('gives in-process services their addresses first and counts what has nowhere to go', async () => {
    const { forwarder } = await routerWithClient();
    const served: string[] = [];
    forwarder.tables.serve('L$management', (bytes, view) => served.push(String(decodeMessage(bytes.subarray(view.bodyOffset)).body)));
    forward(forwarder, message({ properties: { to: '_local/$management' }, body: 'query' }));
    forward(forwarder, message({ properties: { to: 'amqp:/_topo/0/A/$management' }, body: 'topo' }));
    forward(forwarder, message({ properties: { to: 'nobody' }, body: 'lost' }));
    expect(served).toEqual(['query', 'topo']);
    expect(forwarder.dropped).toBe(1);
  });

  it('drops a message whose trace shows it has been here (a loop) without delivering it', async () => {
    const { forwarder, consumer } = await routerWithClient();
    const c = await consumer('q', 10);
    const looped = message({ routerAnnotations: { flags: 0, toOverride: null, ingressRouter: '0/B', trace: ['0/B', '0/A'], ingressMesh: null }, properties: { to: 'q' }, body: 'x' });
    const neighbor = new Neighbor(c.link.session.connection, 'B', 1, 'C9');
    forward(forwarder, looped, neighbor);
    forward(forwarder, message({ properties: { to: 'q' }, body: 'y' }));
    await until(() => c.got.length === 1);
    expect(c.got.map((m) => m.body)).toEqual(['y']);
    expect(forwarder.dropped).toBe(0);
  });
});

describe('forwarder - one destination choice for messages and streams', () => {
  /** Routers B and C are neighbors (links C1, C2); D is reached through B at cost 3. */
  async function mesh(distribution: 'closest' | 'balanced') {
    const r = await routerWithClient(distribution);
    const conn = r.server;
    const b = new Neighbor(conn, 'B', 1, 'C1');
    const c = new Neighbor(conn, 'C', 1, 'C2');
    r.neighbors.set('B', b).set('C', c);
    r.routes.setRoutes(
      new Map([
        ['B', { nextHopLinkId: 'C1', cost: 1, validOrigins: new Set<string>() }],
        ['C', { nextHopLinkId: 'C2', cost: 1, validOrigins: new Set<string>() }],
        ['D', { nextHopLinkId: 'C1', cost: 3, validOrigins: new Set<string>() }],
      ]),
    );
    return { ...r, b, c };
  }
  const plain: MessageView = viewMessage(message({ properties: { to: 'svc' } }));
  const endpoints = (load: number): LocalTargets<string> => ({ services: false, pick: (key) => (key === 'Msvc' ? 'endpoint' : undefined), load: () => load });
  const none: LocalTargets<string> = { services: false, pick: () => undefined, load: () => 0 };

  it('closest: a local target wins over any remote router', async () => {
    const { forwarder, routes } = await mesh('closest');
    routes.setAddressRouters('svc', new Set(['B']));
    expect(forwarder.destinations.choose('svc', plain, undefined, endpoints(50))).toEqual({ kind: 'local', target: 'endpoint' });
  });

  it('balanced: a busy local target loses to a remote router with less cost and outstanding', async () => {
    const { forwarder, routes } = await mesh('balanced');
    routes.setAddressRouters('svc', new Set(['B']));
    expect(forwarder.destinations.choose('svc', plain, undefined, endpoints(5))).toEqual({ kind: 'router', routerId: 'B', control: false });
    expect(forwarder.destinations.choose('svc', plain, undefined, endpoints(1))).toEqual({ kind: 'local', target: 'endpoint' });
    // Outstanding deliveries toward B count against it until they are settled.
    const done = [1, 2, 3].map(() => forwarder.destinations.sentTo('B'));
    expect(forwarder.destinations.choose('svc', plain, undefined, endpoints(3))).toEqual({ kind: 'local', target: 'endpoint' });
    for (const d of done) d();
    expect(forwarder.destinations.outstandingTo('B')).toBe(0);
  });

  it('takes turns among remote routers of equal cost, and never goes back through a visited neighbor', async () => {
    const { forwarder, routes } = await mesh('closest');
    routes.setAddressRouters('svc', new Set(['B', 'C']));
    const picks = [0, 1, 2, 3].map(() => forwarder.destinations.choose('svc', plain, undefined, none));
    expect(picks.map((d) => (d.kind === 'router' ? d.routerId : d.kind))).toEqual(['B', 'C', 'B', 'C']);
    const viaB = viewMessage(message({ routerAnnotations: { flags: 0, toOverride: null, ingressRouter: '0/B', trace: ['0/B'], ingressMesh: null }, properties: { to: 'svc' } }));
    for (let i = 0; i < 2; i++) expect(forwarder.destinations.choose('svc', viaB, undefined, none)).toEqual({ kind: 'router', routerId: 'C', control: false });
  });

  it('routes router addresses by next hop (control names on the control link); services only for messages', async () => {
    const { forwarder } = await mesh('closest');
    expect(forwarder.destinations.choose('_topo/0/D/qdrouter', plain, undefined, none)).toEqual({ kind: 'router', routerId: 'D', control: true });
    expect(forwarder.destinations.choose('_topo/0/D/svc', plain, undefined, none)).toEqual({ kind: 'router', routerId: 'D', control: false });
    forwarder.tables.serve('Msvc', () => undefined);
    expect(forwarder.destinations.choose('svc', plain, undefined, { ...none, services: true }).kind).toBe('service');
    expect(forwarder.destinations.choose('svc', plain, undefined, none).kind).toBe('nowhere');
  });

  it('follows the distribution rules: multicast and unavailable addresses', async () => {
    const { forwarder, rules } = await mesh('closest');
    rules.add({ prefix: 'gone', distribution: 'unavailable' });
    expect(forwarder.destinations.choose('mc/news', plain, undefined, none)).toEqual({ kind: 'multicast', name: 'mc/news' });
    expect(forwarder.destinations.choose('gone/x', plain, undefined, none)).toEqual({ kind: 'unavailable', name: 'gone/x' });
  });

  it('an edge sends up its uplink what it cannot deliver, but never back where it came from', async () => {
    const { forwarder } = await routerWithClient();
    const sunk: string[] = [];
    const uplink: Uplink = {
      routerId: 'I',
      reachable: () => true,
      send: () => sunk.push('message'),
      openStream: (): StreamSink => ({ write: () => undefined, end: () => undefined, abort: () => undefined }),
    };
    forwarder.tables.setUplink(uplink);
    expect(forwarder.destinations.choose('svc', plain, undefined, none)).toEqual({ kind: 'peer', peer: uplink });
    expect(forwarder.destinations.choose('_topo/0/Z/x', plain, undefined, none)).toEqual({ kind: 'peer', peer: uplink });
    expect(forwarder.destinations.choose('svc', plain, uplink, none)).toEqual({ kind: 'nowhere' });
    expect(forwarder.destinations.isRoutable('svc')).toBe(true);
    forward(forwarder, message({ properties: { to: 'svc' }, body: 'up' }));
    expect(sunk).toEqual(['message']);
  });
});
