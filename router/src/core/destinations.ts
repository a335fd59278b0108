/**
 * Where something sent to an address goes from this router: the one decision behind both
 * messages and streams (§c.5). Messages choose among local consumer links and in-process
 * services, streams among stream endpoints; everything else — routes, edges, the uplink, the
 * distribution, loops — is decided here alike for both.
 *
 *   address ─▶ loop? ─▶ class ─▶ local:  service | local target | nowhere
 *                                flood:  every router (messages only)
 *                                router: next hop | uplink | nowhere
 *                                edge:   that edge | router it sits on | uplink | nowhere
 *                                mobile: service | multicast | unavailable | local or remote,
 *                                        whichever is cheaper | edge with consumers | uplink | nowhere
 */
import type { Connection } from '../amqp/engine/connection.js';
import { classifyAddress, type DistributionRules } from './addresses.js';
import type { PeerSender } from './edge-uplink.js';
import type { ForwardingTables, InProcessHandler } from './forwarding-tables.js';
import type { MessageView } from './message-view.js';
import type { Neighbor, RouterPeer } from './neighbor.js';
import type { RouteTable } from './route-table.js';

/** Routing-protocol addresses ride the control link; everything else the data links. */
const CONTROL_NAMES = new Set(['qdrouter', 'qdrouter.ma', 'qdhello']);

/** The local candidates of one kind: consumer links for messages, stream endpoints for streams. */
export interface LocalTargets<T> {
  /** Whether in-process services take it (messages) or not (streams). */
  readonly services: boolean;
  pick(key: string): T | undefined;
  /** What a local target already holds, weighed against a remote router's under balanced distribution. */
  load(target: T): number;
}

export type Destination<T> =
  | { kind: 'service'; handler: InProcessHandler }
  | { kind: 'local'; target: T }
  | { kind: 'router'; routerId: string; control: boolean }
  | { kind: 'peer'; peer: PeerSender }
  | { kind: 'multicast'; name: string }
  | { kind: 'flood'; name: string }
  | { kind: 'unavailable'; name: string }
  /** It has been here before (its trace says so). */
  | { kind: 'loop' }
  | { kind: 'nowhere' };

const LOOP = { kind: 'loop' } as const;
const NOWHERE = { kind: 'nowhere' } as const;

/** The mobile address under which an interior router announces the edges attached to it. */
export function edgeKey(edgeId: string): string {
  return `_edge/${edgeId}`;
}

export class Destinations {
  /** Where each address's next remote pick starts, so equal-cost routers take turns. */
  private readonly rotation = new Map<string, number>();
  /** Unsettled deliveries and open streams sent toward each router, for balanced distribution. */
  private readonly outstanding = new Map<string, number>();

  constructor(
    private readonly routerId: string,
    private readonly routes: RouteTable,
    private readonly neighbors: ReadonlyMap<string, Neighbor>,
    private readonly rules: DistributionRules,
    private readonly tables: ForwardingTables,
  ) {}

  choose<T>(address: string, view: MessageView, from: RouterPeer | undefined, local: LocalTargets<T>): Destination<T> {
    if ((view.annotations?.trace ?? []).includes(`0/${this.routerId}`)) return LOOP;
    const c = classifyAddress(address, this.routerId);
    switch (c.kind) {
      case 'local': {
        const key = `L${c.name}`;
        const handler = local.services ? this.tables.inProcess.get(key) : undefined;
        if (handler !== undefined) return { kind: 'service', handler };
        const target = local.pick(key);
        return target === undefined ? NOWHERE : { kind: 'local', target };
      }
      case 'flood':
        return { kind: 'flood', name: c.name };
      case 'router': {
        const uplink = this.tables.uplink;
        if (this.nextHop(c.routerId) === undefined && uplink !== undefined) return { kind: 'peer', peer: uplink };
        return { kind: 'router', routerId: c.routerId, control: CONTROL_NAMES.has(c.name) };
      }
      case 'edge': {
        const edge = this.tables.edges.get(c.edgeId);
        if (edge !== undefined) return { kind: 'peer', peer: edge };
        const remote = this.pickRemote(edgeKey(c.edgeId), false, view);
        if (remote !== undefined) return { kind: 'router', routerId: remote.routerId, control: false };
        return this.upward(this.tables.uplink, from);
      }
      case 'mobile':
        return this.toMobile(c.name, view, from, local);
    }
  }

  private toMobile<T>(name: string, view: MessageView, from: RouterPeer | undefined, local: LocalTargets<T>): Destination<T> {
    const key = `M${name}`;
    const handler = local.services ? this.tables.inProcess.get(key) : undefined;
    if (handler !== undefined) return { kind: 'service', handler };
    const distribution = this.rules.distributionOf(name);
    if (distribution === 'multicast') return { kind: 'multicast', name };
    if (distribution === 'unavailable') return { kind: 'unavailable', name };
    const target = local.pick(key);
    const remote = this.pickRemote(name, distribution === 'balanced', view);
    const localLoad = target === undefined ? Infinity : distribution === 'closest' ? 0 : local.load(target);
    if (target !== undefined && (remote === undefined || localLoad <= remote.load)) return { kind: 'local', target };
    if (remote !== undefined) return { kind: 'router', routerId: remote.routerId, control: false };
    // Consumers behind an attached edge (streams: messages reach them as local proxy links).
    const edge = [...this.tables.edges.values()].find((e) => e.proxies.has(name));
    return this.upward(edge ?? this.tables.uplink, from);
  }

  /** An edge or the uplink, unless that is where it came from. */
  private upward<T>(peer: PeerSender | undefined, from: RouterPeer | undefined): Destination<T> {
    return peer === undefined || peer === from ? NOWHERE : { kind: 'peer', peer };
  }

  /** True when a message to `address` has somewhere to go now (senders get credit only then). */
  isRoutable(address: string): boolean {
    const c = classifyAddress(address, this.routerId);
    const t = this.tables;
    switch (c.kind) {
      case 'local':
        return t.inProcess.has(`L${c.name}`) || has(t.consumers, `L${c.name}`) || has(t.streamEndpoints, `L${c.name}`);
      case 'flood':
        return true;
      case 'router':
        return this.nextHop(c.routerId) !== undefined || t.uplink !== undefined;
      case 'edge':
        return t.edges.has(c.edgeId) || this.routes.routersFor(edgeKey(c.edgeId)).length > 0 || t.uplink !== undefined;
      case 'mobile':
        return (
          t.inProcess.has(`M${c.name}`) ||
          has(t.consumers, `M${c.name}`) ||
          has(t.streamEndpoints, `M${c.name}`) ||
          this.routes.routersFor(c.name).length > 0 ||
          t.uplink?.reachable(c.name) === true
        );
    }
  }

  /**
   * Interior mode: whether mobile `address` has a destination other than consumers on `edge`'s
   * connection (what an edge router is told about the addresses it sends to).
   */
  reachableBeyond(address: string, edge: Connection): boolean {
    const key = `M${address}`;
    const t = this.tables;
    return (
      t.inProcess.has(key) ||
      has(t.streamEndpoints, key) ||
      this.routes.routersFor(address).length > 0 ||
      (t.consumers.get(key) ?? []).some((l) => l.session.connection !== edge)
    );
  }

  /**
   * The neighbor to send toward a router: its route's next hop, or — before routes are computed
   * (the two ends of a new link learn each other a HELLO apart) — the router itself when it is a
   * neighbor, so a reply to a router that just reached us is not lost.
   */
  nextHop(routerId: string): Neighbor | undefined {
    const route = this.routes.route(routerId);
    if (route !== undefined) return this.neighborByLink(route.nextHopLinkId);
    return this.neighbors.get(routerId);
  }

  /** Something unsettled (a message, a stream) went toward a router; `done` when it is settled. */
  sentTo(routerId: string): () => void {
    this.outstanding.set(routerId, (this.outstanding.get(routerId) ?? 0) + 1);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.outstanding.set(routerId, Math.max(0, (this.outstanding.get(routerId) ?? 1) - 1));
    };
  }

  /** Unsettled deliveries and open streams toward a router. */
  outstandingTo(routerId: string): number {
    return this.outstanding.get(routerId) ?? 0;
  }

  private neighborByLink(linkId: string): Neighbor | undefined {
    for (const n of this.neighbors.values()) if (n.linkId === linkId) return n;
    return undefined;
  }

  /**
   * The remote router to use: least cost (closest) or least outstanding + cost (balanced). Routers
   * reached through a neighbor the message has already visited are excluded (skupper-router's
   * link exclusion by trace): it never goes back the way it came.
   */
  private pickRemote(name: string, balanced: boolean, view: MessageView): { routerId: string; load: number } | undefined {
    const visited = view.annotations?.trace ?? [];
    let best: { routerId: string; load: number } | undefined;
    const candidates = this.routes.routersFor(name).sort();
    const start = (this.rotation.get(name) ?? 0) % Math.max(1, candidates.length);
    this.rotation.set(name, start + 1);
    for (let i = 0; i < candidates.length; i++) {
      const routerId = candidates[(start + i) % candidates.length]!;
      const route = this.routes.route(routerId);
      if (route === undefined) continue;
      const hop = this.neighborByLink(route.nextHopLinkId);
      if (hop !== undefined && visited.includes(`0/${hop.routerId}`)) continue;
      const load = route.cost + (balanced ? this.outstandingTo(routerId) : 0);
      if (best === undefined || load < best.load) best = { routerId, load };
    }
    return best;
  }
}

function has(table: ReadonlyMap<string, readonly unknown[]>, key: string): boolean {
  return (table.get(key)?.length ?? 0) > 0;
}
