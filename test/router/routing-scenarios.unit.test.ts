/**
 * Routing engines wired together in a simulated mesh (routing-sim-network.ts) with skupper-router's
 * default timers: convergence, cheaper paths, reroute on link loss and on silence, mobile
 * addresses coming and going, restarts, determinism, and garbage on the control links.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AmqpMap, Typed } from '../../router/src/amqp/codec/values.js';
import { Logger, logger } from '../../router/src/log.js';
import { buildControlMessage } from '../../router/src/routing/messages.js';
import { SimNetwork } from './routing-sim-network.js';

beforeEach(() => {
  vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

function route(net: SimNetwork, from: string, to: string): { via: string; cost: number } | undefined {
  const e = net.get(from).routeTable.get(to);
  return e === undefined ? undefined : { via: e.nextHopId, cost: e.cost };
}

function line(): SimNetwork {
  const net = new SimNetwork();
  for (const id of ['A', 'B', 'C']) net.addRouter(id);
  net.connect('A', 'B');
  net.connect('B', 'C');
  return net;
}

/** A–B–C (cost 1 each) and A–D–C (cost 5 each). */
function square(): SimNetwork {
  const net = new SimNetwork();
  for (const id of ['A', 'B', 'C', 'D']) net.addRouter(id);
  net.connect('A', 'B', 1);
  net.connect('B', 'C', 1);
  net.connect('A', 'D', 5);
  net.connect('D', 'C', 5);
  net.until(() => route(net, 'A', 'C')?.via === 'B' && route(net, 'C', 'A')?.via === 'B' && route(net, 'B', 'D') !== undefined, 5000);
  return net;
}

describe('routing scenarios - convergence', () => {
  it('line A–B–C: A reaches C through B at cost 2 within 2 s, and the events say so', () => {
    const net = line();
    const took = net.until(() => route(net, 'A', 'C')?.cost === 2 && route(net, 'C', 'A')?.cost === 2, 2000);
    expect(took).toBeLessThanOrEqual(2000);
    expect(route(net, 'A', 'C')).toEqual({ via: 'B', cost: 2 });
    expect(route(net, 'A', 'B')).toEqual({ via: 'B', cost: 1 });
    expect(net.router('A').routes.get('C')?.nextHopLinkId).toBe('A~B');
    // B carries A's traffic to C and C's to A; A and C carry nobody's.
    expect([...net.get('B').routeTable.get('C')!.validOrigins]).toEqual(['A']);
    expect([...net.get('B').routeTable.get('A')!.validOrigins]).toEqual(['C']);
    expect(net.get('A').routeTable.get('C')!.validOrigins.size).toBe(0);
  });

  it('LSUs are only replies to LSRs, and RA slows down to raInterval once out of flux', () => {
    const net = line();
    net.advance(20_000);
    const sent = [...net.routers.values()].flatMap((r) => r.sent.map((s) => s.body.opcode));
    expect(sent.filter((op) => op === 'LSU').length).toBeLessThanOrEqual(sent.filter((op) => op === 'LSR').length);
    const raCount = (): number => net.router('A').sent.filter((s) => s.body.opcode === 'RA').length;
    const before = raCount();
    net.advance(29_000);
    expect(raCount() - before).toBeLessThanOrEqual(1);
    net.advance(2_000);
    expect(raCount() - before).toBeGreaterThanOrEqual(1);
  });

  it('square: A reaches C by the cheaper side (B, cost 2), not by D (cost 10)', () => {
    const net = square();
    expect(route(net, 'A', 'C')).toEqual({ via: 'B', cost: 2 });
    expect(route(net, 'A', 'D')).toEqual({ via: 'D', cost: 5 });
  });
});

describe('routing scenarios - failures', () => {
  it('killing B (its links close) moves A’s route to C onto D at once', () => {
    const net = square();
    net.kill('B');
    expect(route(net, 'A', 'C')).toEqual({ via: 'D', cost: 10 });
    expect(route(net, 'C', 'A')).toEqual({ via: 'D', cost: 10 });
    expect(route(net, 'A', 'B')).toBeUndefined();
    expect(net.router('A').routes.get('C')?.nextHopId).toBe('D');
  });

  it('freezing B (silent, links up) moves the route within helloMaxAge + one tick', () => {
    const net = square();
    net.router('B').frozen = true;
    const took = net.until(() => route(net, 'A', 'C')?.via === 'D', 5000);
    expect(took).toBeGreaterThanOrEqual(3000 - 1000);
    expect(took).toBeLessThanOrEqual(3000 + 100);
    expect(route(net, 'A', 'C')).toEqual({ via: 'D', cost: 10 });
  });

  it('a restarted router (new instance) is re-synced: routes and addresses come back', () => {
    const net = line();
    net.get('B').addLocalAddress('svc/b', 3);
    net.until(() => net.router('A').addresses.get('svc/b')?.has('B') === true && route(net, 'A', 'C') !== undefined, 3000);
    net.restart('B', 2);
    expect(route(net, 'A', 'C')).toBeUndefined();
    net.until(() => route(net, 'A', 'C')?.cost === 2 && route(net, 'C', 'A')?.cost === 2, 3000);
    expect(net.router('A').addresses.has('svc/b')).toBe(false); // the new B has no consumer yet
    net.get('B').addLocalAddress('svc/b2', 3);
    net.until(() => net.router('C').addresses.get('svc/b2')?.has('B') === true, 2000);
    expect(net.get('A').nodes().find((n) => n.id === 'B')?.instance).toBe(2);
  });
});

describe('routing scenarios - mobile addresses', () => {
  it('an address added on C is known on A within 2 s, and unmapped when C goes away', () => {
    const net = line();
    net.until(() => route(net, 'A', 'C') !== undefined, 2000);
    net.get('C').addLocalAddress('golden/echo', 3);
    net.until(() => net.router('A').addresses.get('golden/echo')?.has('C') === true, 2000);
    expect(net.get('A').remoteAddresses.get('golden/echo')?.get('C')).toBe(3);
    net.kill('C');
    expect(net.router('A').addresses.has('golden/echo')).toBe(true); // unreachableHoldoff first
    net.until(() => !net.router('A').addresses.has('golden/echo'), 1000 + 200);
  });

  it('removal goes out as a differential MAU; a router that missed one asks for the whole list', () => {
    const net = line();
    net.until(() => route(net, 'A', 'C') !== undefined, 2000);
    net.get('C').addLocalAddress('x', 2);
    net.until(() => net.router('A').addresses.has('x'), 2000);
    net.get('C').removeLocalAddress('x');
    net.until(() => !net.router('A').addresses.has('x') && !net.router('B').addresses.has('x'), 2000);
    // A misses C's next differential update (frozen), then hears a later one: gap → MAR.
    net.router('A').frozen = true;
    net.get('C').addLocalAddress('y', 3);
    net.advance(1000);
    net.router('A').frozen = false;
    net.get('C').addLocalAddress('z', 3);
    net.until(() => net.router('A').addresses.has('y') && net.router('A').addresses.has('z'), 2000);
    expect(net.router('A').sent.some((s) => s.body.opcode === 'MAR' && s.destination.via === 'route' && s.destination.to === 'amqp:/_topo/0/C/qdrouter.ma')).toBe(true);
  });
});

describe('routing scenarios - determinism and robustness', () => {
  function diamond(): SimNetwork {
    const net = new SimNetwork();
    for (const id of ['D', 'C', 'B', 'A']) net.addRouter(id);
    net.connect('A', 'C');
    net.connect('A', 'B');
    net.connect('C', 'D');
    net.connect('B', 'D');
    net.advance(4000);
    return net;
  }

  it('equal-cost paths are broken by router id, identically on every run', () => {
    const first = diamond();
    const second = diamond();
    expect(route(first, 'A', 'D')).toEqual({ via: 'B', cost: 2 });
    expect(route(first, 'D', 'A')).toEqual({ via: 'B', cost: 2 });
    const picture = (net: SimNetwork): unknown => [...net.routers].map(([id, r]) => [id, [...r.engine.routeTable], r.sent.map((s) => s.body)]);
    expect(picture(second)).toEqual(picture(first));
  });

  it('garbage on a control link is dropped: unknown opcode, newer pv, wrong types', () => {
    const net = line();
    net.until(() => route(net, 'A', 'C') !== undefined, 2000);
    const a = net.get('A');
    const before = JSON.stringify([...a.routeTable]);
    const hello = AmqpMap.withStringKeys({ id: 'Z', pv: new Typed('int', 2), area: '0', instance: new Typed('int', 1), seen: ['A'] });
    expect(() => {
      a.receive('A~B', { applicationProperties: AmqpMap.withStringKeys({ opcode: 'BOGUS' }), body: hello });
      a.receive('A~B', { applicationProperties: AmqpMap.withStringKeys({ opcode: 'HELLO' }), body: hello });
      a.receive('A~B', { applicationProperties: AmqpMap.withStringKeys({ opcode: 'LSU' }), body: 'not a map' });
      a.receive('A~B', { body: null });
      a.receive('A~B', buildControlMessage({ opcode: 'RA', id: 'B', instance: 1, lsSeq: -1, mobileSeq: 0 }, 'x'));
    }).not.toThrow();
    net.advance(1000);
    expect(JSON.stringify([...a.routeTable])).toBe(before);
    expect(a.routeTable.has('Z')).toBe(false);
  });

  it('a HELLO with our own id and another instance is reported as a duplicate router id', () => {
    const net = line();
    const error = vi.spyOn(logger('ROUTER_HELLO'), 'error');
    net.get('A').receive('A~B', buildControlMessage({ opcode: 'HELLO', id: 'A', instance: 99, seen: [] }, 'amqp:/_local/qdhello'));
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]?.[0]).toMatch(/duplicate router id/);
  });

  it('router.node rows in skupper-router layout', () => {
    const net = line();
    net.until(() => route(net, 'A', 'C') !== undefined && net.get('A').nodes().find((n) => n.id === 'C')?.instance === 1, 3000);
    const rows = net.get('A').nodes();
    expect(rows.map((r) => [r.id, r.nextHop, r.cost, r.routerLink, r.index])).toEqual([
      ['A', '(self)', null, null, 0],
      ['B', null, 1, 'A~B', 1],
      ['C', 'B', 2, null, 2],
    ]);
    expect(rows[0]!.linkState).toEqual(['B']);
    expect(rows[2]!.address).toBe('amqp:/_topo/0/C');
  });
});
