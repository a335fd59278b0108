import { describe, expect, it } from 'vitest';
import { computePaths } from '../../router/src/routing/paths.js';

/** A two-way link-state collection from undirected edges [a, b, cost]. */
function collection(edges: Array<[string, string, number]>): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [a, b, c] of edges) {
    if (!out.has(a)) out.set(a, new Map());
    if (!out.has(b)) out.set(b, new Map());
    out.get(a)!.set(b, c);
    out.get(b)!.set(a, c);
  }
  return out;
}

describe('routing paths - Dijkstra from self', () => {
  it('takes the cheapest path even when it has more hops', () => {
    const r = computePaths(collection([['A', 'C', 5], ['A', 'B', 1], ['B', 'D', 1], ['D', 'C', 1]]), 'A');
    expect(r.nextHop.get('C')).toBe('B');
    expect(r.cost.get('C')).toBe(3);
    expect(r.nextHop.get('D')).toBe('B');
  });

  it('ignores a link only one end still advertises', () => {
    const c = collection([['A', 'B', 1], ['B', 'C', 1]]);
    c.get('B')!.delete('C');
    const r = computePaths(c, 'A');
    expect(r.cost.has('C')).toBe(false);
    expect([...r.unreachable]).toEqual(['C']);
  });

  it('a peer whose state is not known yet is reachable (so an LSR can fetch it)', () => {
    const c = collection([['A', 'B', 1]]);
    c.get('B')!.set('N', 4); // N named by B, its own state not received
    const r = computePaths(c, 'A');
    expect(r.nextHop.get('N')).toBe('B');
    expect(r.cost.get('N')).toBe(5);
  });

  it('a router with no path is listed as unreachable', () => {
    const c = collection([['A', 'B', 1], ['X', 'Y', 1]]);
    expect([...computePaths(c, 'A').unreachable]).toEqual(['X', 'Y']);
  });

  it('equal costs: the lower router id wins, from both ends', () => {
    const c = collection([['A', 'C', 1], ['A', 'B', 1], ['C', 'D', 1], ['B', 'D', 1]]);
    expect(computePaths(c, 'A').nextHop.get('D')).toBe('B');
    expect(computePaths(c, 'D').nextHop.get('A')).toBe('B');
  });
});

describe('routing paths - valid origins', () => {
  it('the middle of a line carries each end’s traffic to the other', () => {
    const r = computePaths(collection([['A', 'B', 1], ['B', 'C', 1]]), 'B');
    expect([...r.validOrigins.get('C')!]).toEqual(['A']);
    expect([...r.validOrigins.get('A')!]).toEqual(['C']);
  });

  it('in a triangle nobody is a transit', () => {
    const r = computePaths(collection([['A', 'B', 1], ['B', 'C', 1], ['A', 'C', 1]]), 'B');
    expect(r.validOrigins.get('A')!.size).toBe(0);
    expect(r.validOrigins.get('C')!.size).toBe(0);
  });

  it('in a longer line, every upstream origin is valid for a downstream destination', () => {
    const r = computePaths(collection([['A', 'B', 1], ['B', 'C', 1], ['C', 'D', 1]]), 'C');
    expect([...r.validOrigins.get('D')!].sort()).toEqual(['A', 'B']);
    expect([...r.validOrigins.get('B')!]).toEqual(['D']);
  });
});
