/**
 * The routes the engine hands to the forwarder: per reachable router, the control link to send
 * through, the neighbor at its end, the path cost and the valid origins. Replacing it with new
 * paths says what changed, so that the forwarder hears only of real changes. Each router also
 * keeps a small stable index while reachable (skupper-router's mask bit; self is 0).
 */
import type { PathResult } from './paths.js';

export interface RouteEntry {
  nextHopLinkId: string;
  nextHopId: string;
  cost: number;
  validOrigins: ReadonlySet<string>;
}

export interface RouteDiff {
  changed: boolean;
  added: string[];
  removed: string[];
}

export class RouteTable {
  private table = new Map<string, RouteEntry>();
  private readonly indexes = new Map<string, number>();

  get entries(): ReadonlyMap<string, RouteEntry> {
    return this.table;
  }

  indexOf(id: string): number | undefined {
    return this.indexes.get(id);
  }

  /** Installs new paths; `linkOf` maps a next-hop router to its control link. */
  replace(paths: PathResult, linkOf: (hop: string) => string | undefined): RouteDiff {
    const next = new Map<string, RouteEntry>();
    for (const id of [...paths.cost.keys()].sort()) {
      const nextHopId = paths.nextHop.get(id);
      const nextHopLinkId = nextHopId === undefined ? undefined : linkOf(nextHopId);
      // Paths start with our own two-way peers, so every next hop has a link.
      if (nextHopId === undefined || nextHopLinkId === undefined) continue;
      const validOrigins = new Set([...(paths.validOrigins.get(id) ?? [])].sort());
      next.set(id, { nextHopLinkId, nextHopId, cost: paths.cost.get(id) ?? 0, validOrigins });
    }
    const added = [...next.keys()].filter((id) => !this.table.has(id));
    const removed = [...this.table.keys()].filter((id) => !next.has(id));
    const changed = added.length + removed.length > 0 || [...next].some(([id, e]) => !sameEntry(e, this.table.get(id)));
    this.table = next;
    for (const id of removed) this.indexes.delete(id);
    for (const id of added) this.indexes.set(id, this.freeIndex());
    return { changed, added, removed };
  }

  private freeIndex(): number {
    const used = new Set(this.indexes.values());
    let index = 1;
    while (used.has(index)) index++;
    return index;
  }
}

function sameEntry(a: RouteEntry, b: RouteEntry | undefined): boolean {
  return (
    b !== undefined &&
    a.nextHopLinkId === b.nextHopLinkId &&
    a.nextHopId === b.nextHopId &&
    a.cost === b.cost &&
    a.validOrigins.size === b.validOrigins.size &&
    [...a.validOrigins].every((o) => b.validOrigins.has(o))
  );
}
