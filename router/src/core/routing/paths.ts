/**
 * Shortest paths over the link-state database (§c.3): Dijkstra from this router with ties
 * broken by router id, so every router computes the same tree; next hop and cost per
 * destination; and valid origins — for each destination, the routers whose own shortest-path
 * tree to it passes through here (multicast forwards only along those, so copies neither loop
 * nor double).
 */

/** Each router's advertised peers and costs. */
export type LinkStateDb = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface PathResult {
  /** Destination → neighbor to send through. */
  nextHop: Map<string, string>;
  cost: Map<string, number>;
  /** Destination → origins whose traffic for it may be forwarded from here. */
  validOrigins: Map<string, Set<string>>;
}

/**
 * Edges out of a node are the peers its own link state advertises (directional, as skupper-router
 * computes). A dead router's stale state only adds edges out of it, and nothing reaches it once
 * its neighbors stop advertising it; and a live router's stale state cannot hide a path that its
 * neighbors advertise — which matters, because the request for its fresh state (LSR) needs a route.
 */
function edges(db: LinkStateDb, node: string): Iterable<[string, number]> {
  return db.get(node) ?? [];
}

interface Tree {
  cost: Map<string, number>;
  previous: Map<string, string>;
}

/** Dijkstra rooted at `root`; among equal costs the lower predecessor id wins (deterministic). */
function shortestPaths(db: LinkStateDb, root: string): Tree {
  const cost = new Map<string, number>([[root, 0]]);
  const previous = new Map<string, string>();
  const done = new Set<string>();
  for (;;) {
    let current: string | undefined;
    for (const [node, c] of cost) {
      if (done.has(node)) continue;
      if (current === undefined || c < cost.get(current)! || (c === cost.get(current)! && node < current)) current = node;
    }
    if (current === undefined) break;
    done.add(current);
    const base = cost.get(current)!;
    for (const [peer, c] of edges(db, current)) {
      if (done.has(peer)) continue;
      const candidate = base + c;
      const known = cost.get(peer);
      if (known === undefined || candidate < known || (candidate === known && current < previous.get(peer)!)) {
        cost.set(peer, candidate);
        previous.set(peer, current);
      }
    }
  }
  return { cost, previous };
}

export function computePaths(db: LinkStateDb, self: string): PathResult {
  const own = shortestPaths(db, self);
  const nextHop = new Map<string, string>();
  const cost = new Map<string, number>();
  for (const [dest, c] of own.cost) {
    if (dest === self) continue;
    let hop = dest;
    while (own.previous.get(hop) !== self) hop = own.previous.get(hop)!;
    nextHop.set(dest, hop);
    cost.set(dest, c);
  }
  const validOrigins = new Map<string, Set<string>>();
  for (const dest of cost.keys()) validOrigins.set(dest, new Set());
  for (const origin of own.cost.keys()) {
    if (origin === self) continue;
    const tree = shortestPaths(db, origin);
    for (const dest of cost.keys()) {
      if (dest === origin) continue;
      // Walk dest's path back toward origin: does it pass through this router?
      for (let node = tree.previous.get(dest); node !== undefined && node !== origin; node = tree.previous.get(node)) {
        if (node === self) {
          validOrigins.get(dest)!.add(origin);
          break;
        }
      }
    }
  }
  return { nextHop, cost, validOrigins };
}
