import { describe, expect, it } from 'vitest';
import { computePaths, type LinkStateDb } from '../../router/src/core/routing/paths.js';

/** Builds a two-way link-state database from undirected edges [a, b, cost]. */
function db(edges: Array<[string, string, number]>): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [a, b, c] of edges) {
    if (!out.has(a)) out.set(a, new Map());
    if (!out.has(b)) out.set(b, new Map());
    out.get(a)!.set(b, c);
    out.get(b)!.set(a, c);
  }
  return out;
}

describe('routing - shortest paths', () => {
  it('a line A–B–C: A reaches C through B at cost 2', () => {
    const r = computePaths(db([['A', 'B', 1], ['B', 'C', 1]]), 'A');
    expect(r.nextHop.get('C')).toBe('B');
    expect(r.cost.get('C')).toBe(2);
    expect(r.nextHop.get('B')).toBe('B');
  });

  it('a square takes the cheaper side, and the other when that side is gone', () => {
    const square: Array<[string, string, number]> = [['A', 'B', 1], ['B', 'C', 1], ['A', 'D', 5], ['D', 'C', 5]];
    expect(computePaths(db(square), 'A').nextHop.get('C')).toBe('B');
    const withoutB = db(square.filter(([a, b]) => a !== 'B' && b !== 'B'));
    const r = computePaths(withoutB, 'A');
    expect(r.nextHop.get('C')).toBe('D');
    expect(r.cost.get('C')).toBe(10);
  });

  it('a dead router cannot attract traffic through its stale state', () => {
    const d = db([['A', 'B', 1], ['B', 'C', 1]]);
    d.get('B')!.delete('C'); // B lost C; C's old state still lists B
    expect(computePaths(d, 'A').nextHop.has('C')).toBe(false);
  });

  it("a stale state of a live router does not hide the path its neighbors advertise (the LSR needs it)", () => {
    // A lost B. C's stored state is old and lacks D, but D advertises C: A reaches C through D.
    const d = new Map<string, Map<string, number>>([
      ['A', new Map([['D', 5]])],
      ['B', new Map([['A', 1], ['C', 1]])],
      ['C', new Map([['B', 1]])],
      ['D', new Map([['A', 5], ['C', 5]])],
    ]);
    const r = computePaths(d, 'A');
    expect(r.nextHop.get('C')).toBe('D');
    expect(r.cost.get('C')).toBe(10);
  });

  it('breaks ties by router id, the same way on every run', () => {
    const d = db([['A', 'B', 1], ['A', 'C', 1], ['B', 'D', 1], ['C', 'D', 1]]);
    for (let i = 0; i < 5; i++) expect(computePaths(d, 'A').nextHop.get('D')).toBe('B');
    // The same decision from the other side: D reaches A through B too.
    expect(computePaths(d, 'D').nextHop.get('A')).toBe('B');
  });

  it('valid origins: B forwards A-originated traffic to C, not C-originated traffic to A via itself twice', () => {
    const line: LinkStateDb = db([['A', 'B', 1], ['B', 'C', 1]]);
    const r = computePaths(line, 'B');
    expect([...r.validOrigins.get('C')!]).toEqual(['A']);
    expect([...r.validOrigins.get('A')!]).toEqual(['C']);
  });

  it('valid origins in a triangle: a router is nobody’s transit when every pair is direct', () => {
    const r = computePaths(db([['A', 'B', 1], ['B', 'C', 1], ['A', 'C', 1]]), 'B');
    expect(r.validOrigins.get('C')!.size).toBe(0);
    expect(r.validOrigins.get('A')!.size).toBe(0);
  });
});
