/**
 * Shortest paths over the link-state collection (§c.3). Dijkstra from this router with ties
 * broken by router id, so that every router in the mesh takes the same decision on equal costs;
 * then, per destination, the valid origins: the routers whose own shortest path to it runs
 * through this router (multicast copies from any other origin would loop or double).
 *
 *        A ──1── B ──1── C        at B: validOrigins(C) = {A}, validOrigins(A) = {C}
 */

/** Each router's advertised peers and link costs. */
export type LinkStateCollection = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface PathResult {
  /** Destination → the neighbor to send through. */
  nextHop: Map<string, string>;
  cost: Map<string, number>;
  /** Destination → origins whose traffic for it may be forwarded from here. */
  validOrigins: Map<string, Set<string>>;
  /** Routers named in the collection that no path reaches. */
  unreachable: Set<string>;
}

/**
 * The usable edges out of `node`. A link counts when both ends advertise it, so a router that
 * lost a link cannot keep attracting traffic through the other end's stale state. A peer whose
 * own state we have not received yet counts as pointing back (skupper-router gives it a fake
 * state with cost 1), which makes it reachable for the LSR that fetches its real state.
 */
function edgesOf(collection: LinkStateCollection, node: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const [peer, cost] of collection.get(node) ?? []) {
    const back = collection.get(peer);
    if (back === undefined || back.has(node)) out.push([peer, cost]);
  }
  return out;
}

interface Tree {
  cost: Map<string, number>;
  previous: Map<string, string>;
}

/**
 * Dijkstra rooted at `root`. Nodes are settled in (cost, id) order and, among equal-cost ways
 * into a node, the one through the lower predecessor id wins: the same tree on every run.
 */
function shortestPathTree(collection: LinkStateCollection, root: string): Tree {
  const cost = new Map<string, number>([[root, 0]]);
  const previous = new Map<string, string>();
  const settled = new Set<string>();
  for (;;) {
    let current: string | undefined;
    let currentCost = Infinity;
    for (const [node, c] of cost) {
      if (settled.has(node)) continue;
      if (c < currentCost || (c === currentCost && current !== undefined && node < current)) {
        current = node;
        currentCost = c;
      }
    }
    if (current === undefined) return { cost, previous };
    settled.add(current);
    for (const [peer, linkCost] of edgesOf(collection, current)) {
      if (settled.has(peer)) continue;
      const candidate = currentCost + linkCost;
      const known = cost.get(peer);
      const before = previous.get(peer);
      if (known === undefined || candidate < known || (candidate === known && before !== undefined && current < before)) {
        cost.set(peer, candidate);
        previous.set(peer, current);
      }
    }
  }
}

/** True when the path from the tree's root to `dest` passes through `via` (ends excluded). */
function passesThrough(tree: Tree, dest: string, via: string): boolean {
  for (let node = tree.previous.get(dest); node !== undefined; node = tree.previous.get(node)) {
    if (node === via) return true;
  }
  return false;
}

export function computePaths(collection: LinkStateCollection, self: string): PathResult {
  const own = shortestPathTree(collection, self);
  const nextHop = new Map<string, string>();
  const cost = new Map<string, number>();
  for (const [dest, c] of own.cost) {
    if (dest === self) continue;
    let hop = dest;
    for (let prev = own.previous.get(hop); prev !== undefined && prev !== self; prev = own.previous.get(hop)) hop = prev;
    nextHop.set(dest, hop);
    cost.set(dest, c);
  }
  const validOrigins = new Map<string, Set<string>>();
  for (const dest of cost.keys()) validOrigins.set(dest, new Set());
  for (const origin of cost.keys()) {
    const tree = shortestPathTree(collection, origin);
    for (const [dest, origins] of validOrigins) {
      if (dest !== origin && passesThrough(tree, dest, self)) origins.add(origin);
    }
  }
  const named = new Set<string>();
  for (const [node, peers] of collection) {
    named.add(node);
    for (const peer of peers.keys()) named.add(peer);
  }
  const unreachable = new Set([...named].filter((id) => id !== self && !cost.has(id)).sort());
  return { nextHop, cost, validOrigins, unreachable };
}
