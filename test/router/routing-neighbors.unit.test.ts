import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Logger } from '../../router/src/log.js';
import type { HelloBody } from '../../router/src/routing/messages.js';
import { NeighborTable } from '../../router/src/routing/neighbors.js';

beforeEach(() => {
  vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

const hello = (id: string, seen: string[], instance = 1): HelloBody => ({ opcode: 'HELLO', id, instance, seen });

describe('routing neighbors - HELLO two-way logic', () => {
  it('a neighbor is up only once its HELLO lists us; our seen lists who we heard', () => {
    const t = new NeighborTable('A', 1, 3000);
    t.linkUp('l1', 4);
    expect(t.hello('l1', hello('B', []), 0)).toEqual([]);
    expect(t.seen(0)).toEqual(['B']);
    expect(t.upNeighbors().size).toBe(0);
    expect(t.hello('l1', hello('B', ['A']), 500)).toEqual([{ kind: 'up', peerId: 'B', linkId: 'l1', cost: 4 }]);
    expect(t.hello('l1', hello('B', ['A']), 1500)).toEqual([]);
    expect([...t.upNeighbors()]).toEqual([['B', { linkId: 'l1', cost: 4 }]]);
  });

  it('down after helloMaxAge without a HELLO listing us, not before', () => {
    const t = new NeighborTable('A', 1, 3000);
    t.linkUp('l1', 1);
    t.hello('l1', hello('B', ['A']), 1000);
    t.hello('l1', hello('B', []), 2000); // heard, but no longer hearing us
    expect(t.expire(4000)).toEqual([]);
    expect(t.expire(4001)).toEqual([{ kind: 'down', peerId: 'B', linkId: 'l1', why: 'no HELLO listing us for 3000 ms' }]);
    expect(t.seen(5000)).toEqual(['B']);
    expect(t.seen(5001)).toEqual([]);
  });

  it('down at once when the control link closes', () => {
    const t = new NeighborTable('A', 1, 3000);
    t.linkUp('l1', 1);
    t.hello('l1', hello('B', ['A']), 0);
    expect(t.linkDown('l1').map((c) => c.kind)).toEqual(['down']);
    expect(t.linkIds()).toEqual([]);
  });

  it('a new instance is a restart: down, restarted, and up again only when it lists us', () => {
    const t = new NeighborTable('A', 1, 3000);
    t.linkUp('l1', 1);
    t.hello('l1', hello('B', ['A'], 7), 0);
    expect(t.hello('l1', hello('B', [], 8), 100).map((c) => c.kind)).toEqual(['down', 'restarted']);
    expect(t.hello('l1', hello('B', ['A'], 8), 200).map((c) => c.kind)).toEqual(['up']);
  });

  it('HELLOs on an unknown link and our own HELLO with our instance change nothing', () => {
    const t = new NeighborTable('A', 1, 3000);
    expect(t.hello('nope', hello('B', ['A']), 0)).toEqual([]);
    t.linkUp('l1', 1);
    expect(t.hello('l1', hello('A', ['B'], 1), 0)).toEqual([]);
    expect(t.seen(0)).toEqual([]);
  });
});
