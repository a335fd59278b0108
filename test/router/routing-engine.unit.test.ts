/**
 * The link-state routing protocol (core/routing/routing-engine.ts) without routers or sockets:
 * engines joined by an in-memory wire that delivers what each sends (HELLO to a neighbor, RA and
 * MAU flooded, LSR/LSU/MAR to one router) and a clock the test moves.
 */
import { describe, expect, it } from 'vitest';
import { Treatment } from '../../router/src/core/addresses.js';
import { viewMessage } from '../../router/src/core/message-view.js';
import { decodeRoutingMessage } from '../../router/src/core/routing/messages.js';
import type { PathResult } from '../../router/src/core/routing/paths.js';
import { RoutingEngine } from '../../router/src/core/routing/routing-engine.js';

const TIMERS = { helloIntervalMs: 1000, helloMaxAgeMs: 3000, raIntervalMs: 30_000, raIntervalFluxMs: 4000, remoteLsMaxAgeMs: 60_000 };

/** Routers joined by links, a shared clock, and what each engine computed. */
function mesh(ids: string[], links: Array<[string, string]>) {
  let now = 1_000_000;
  const engines = new Map<string, RoutingEngine>();
  const paths = new Map<string, PathResult>();
  const addresses = new Map<string, Map<string, string[]>>();
  /** Links that drop what crosses them (one way: from the first router to the second). */
  const cut = new Set<string>();
  const queue: Array<{ to: string; bytes: Buffer }> = [];
  const deliver = (from: string, to: string, bytes: Buffer): void => {
    if (!cut.has(`${from}>${to}`)) queue.push({ to, bytes });
  };
  for (const [n, id] of ids.entries()) {
    const engine = new RoutingEngine(id, 100 + n, TIMERS, () => now, {
      sendToNeighbor: (to, bytes) => deliver(id, to, bytes),
      // Routed by address: flooded ones reach every router (the mesh forwards them), others the one named.
      send: (bytes) => {
        const to = viewMessage(bytes).to ?? '';
        const target = /_topo\/0\/([^/]+)\//.exec(to)?.[1];
        for (const other of ids) if (other !== id && (target === 'all' || target === other)) deliver(id, other, bytes);
      },
      pathsChanged: (p) => paths.set(id, p),
      addressChanged: (address, routers) => {
        const table = addresses.get(id) ?? new Map<string, string[]>();
        table.set(address, [...routers].sort());
        addresses.set(id, table);
      },
    });
    engines.set(id, engine);
  }
  const link = (a: string, b: string): void => {
    engines.get(a)!.linkUp(b, 1);
    engines.get(b)!.linkUp(a, 1);
  };
  for (const [a, b] of links) link(a, b);
  /** Moves the clock in steps of 100 ms, ticking every engine and delivering what they send. */
  const run = (ms: number): void => {
    for (let t = 0; t < ms; t += 100) {
      now += 100;
      for (const e of engines.values()) e.tick();
      while (queue.length > 0) {
        const { to, bytes } = queue.shift()!;
        const msg = decodeRoutingMessage(bytes.subarray(viewMessage(bytes).bodyOffset));
        if (msg !== undefined) engines.get(to)!.receive(msg);
      }
    }
  };
  return { engines, paths, addresses, run, cut };
}

describe('routing engine - link state and mobile addresses', () => {
  it('computes routes across a line A-B-C: C via B at cost 2, and back', () => {
    const m = mesh(['A', 'B', 'C'], [['A', 'B'], ['B', 'C']]);
    m.run(3000);
    expect(m.paths.get('A')?.nextHop.get('C')).toBe('B');
    expect(m.paths.get('A')?.cost.get('C')).toBe(2);
    expect(m.paths.get('C')?.nextHop.get('A')).toBe('B');
    expect(m.engines.get('A')!.ownLinkState()).toEqual(['B']);
    expect(m.engines.get('A')!.nodes().map((n) => [n.id, n.nextHop, n.cost])).toEqual([
      ['B', 'B', 1],
      ['C', 'B', 2],
    ]);
  });

  it("spreads a router's local address to the others, and its removal", () => {
    const m = mesh(['A', 'B', 'C'], [['A', 'B'], ['B', 'C']]);
    m.run(3000);
    m.engines.get('C')!.setLocalAddress('svc', Treatment.closest);
    m.run(2000);
    expect(m.addresses.get('A')?.get('svc')).toEqual(['C']);
    expect(m.addresses.get('B')?.get('svc')).toEqual(['C']);
    m.engines.get('C')!.setLocalAddress('svc', undefined);
    m.run(2000);
    expect(m.addresses.get('A')?.get('svc')).toEqual([]);
  });

  it('declares a neighbor lost when its HELLOs stop for helloMaxAge, and what lay beyond it unreachable', () => {
    const m = mesh(['A', 'B', 'C'], [['A', 'B'], ['B', 'C']]);
    m.run(3000);
    m.engines.get('C')!.setLocalAddress('svc', Treatment.closest);
    m.run(2000);
    m.cut.add('B>A');
    // B's last HELLO reached A at most a HELLO interval before the cut.
    m.run(TIMERS.helloMaxAgeMs - TIMERS.helloIntervalMs - 500);
    expect(m.paths.get('A')?.cost.get('C')).toBe(2);
    m.run(TIMERS.helloIntervalMs + 1000);
    expect(m.paths.get('A')?.cost.has('B')).toBe(false);
    expect(m.paths.get('A')?.cost.has('C')).toBe(false);
    expect(m.engines.get('A')!.ownLinkState()).toEqual([]);
  });

  it('a neighbor that restarts (a new instance) takes the addresses it announced with it', () => {
    const m = mesh(['A', 'B'], [['A', 'B']]);
    m.run(3000);
    m.engines.get('B')!.setLocalAddress('svc', Treatment.balanced);
    m.run(2000);
    expect(m.addresses.get('A')?.get('svc')).toEqual(['B']);
    // B restarts, on a new link: its HELLO and RA come with a new instance and no addresses.
    const a = m.engines.get('A')!;
    a.linkDown('B');
    a.linkUp('B', 1);
    const instance = m.engines.get('B')!.instance + 1;
    a.receive({ op: 'HELLO', id: 'B', instance, seen: ['A'] });
    expect(m.addresses.get('A')?.get('svc')).toEqual(['B']); // a new link: its HELLO says nothing of a restart
    a.receive({ op: 'RA', id: 'B', instance, lsSeq: 1, mobileSeq: 0 });
    expect(m.addresses.get('A')?.get('svc')).toEqual([]);
  });
});
