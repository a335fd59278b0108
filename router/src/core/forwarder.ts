/**
 * Decides where a message goes and sends it there (§c.5): in-process services, local consumer
 * links, and neighbor routers (with router annotations: ingress, trace). Unsettled anycast
 * deliveries stay linked to their copy so the final receiver's outcome reaches the sender;
 * multicast and flooded messages are accepted at ingress and sent settled.
 */
import type { Connection } from '../amqp/engine/connection.js';
import type { Delivery } from '../amqp/engine/delivery.js';
import type { Link } from '../amqp/engine/link.js';
import { isTerminal, Released, type DeliveryState } from '../amqp/engine/types.js';
import type { RouterAnnotations } from '../amqp/codec/message.js';
import { logger } from '../log.js';
import { classifyAddress, type DistributionRules } from './addresses.js';
import { viewMessage, withAnnotations, withoutAnnotations, type MessageView } from './message-view.js';
import { DEFAULT_PRIORITY, type Neighbor, type RouterPeer } from './neighbor.js';
import { ConsumerQueue } from './consumer-queue.js';
import { EdgePeer } from './edge-peer.js';
import type { PeerSender } from './edge-uplink.js';
import type { RouteTable } from './route-table.js';
import { ForwardingTables, type StreamEndpoint } from './forwarding-tables.js';
import type { StreamSink, StreamSource } from './stream.js';
import { STREAM_FLAGS, type StreamHead } from './stream-head.js';

const log = logger('ROUTER_CORE');

/** Routing-protocol addresses ride the control link; everything else the data links. */
const CONTROL_NAMES = new Set(['qdrouter', 'qdrouter.ma', 'qdhello']);

/** The mobile address under which an interior router announces the edges attached to it. */
export function edgeKey(edgeId: string): string {
  return `_edge/${edgeId}`;
}

const NO_ANNOTATIONS: RouterAnnotations = { flags: 0, toOverride: null, ingressRouter: null, trace: [], ingressMesh: null };

export interface InboundStream {
  /** The stream message's head sections (router annotations included, when any). */
  bytes: Buffer;
  view: MessageView;
  head: StreamHead;
  source: StreamSource;
  from: RouterPeer | undefined;
}

export interface Inbound {
  bytes: Buffer;
  /** The inbound delivery when it is unsettled (its outcome must be reported back). */
  delivery: Delivery | undefined;
  /** The router it came from (neighbor, edge or uplink), if any: only routers may annotate. */
  from: RouterPeer | undefined;
  /** The link's target address (for named sender links). */
  linkTarget: string | undefined;
  /** The log id of the link or connection it came on (`[C3][L1]`); undefined when this router composed it. */
  logId: string | undefined;
}

/** What the forwarder counts, as management reads it. */
export interface DeliveryCounts {
  readonly delivered: number;
  readonly droppedPresettled: number;
  /** Messages waiting for a local consumer link's credit. */
  undelivered(link: Link): number;
  /** Pre-settled messages dropped from a local consumer link's queue. */
  droppedPresettledOn(link: Link): number;
}

export class Forwarder implements DeliveryCounts {
  readonly tables = new ForwardingTables();
  private readonly rotation = new Map<string, number>();
  /** Unsettled deliveries forwarded toward each router, for balanced distribution. */
  private readonly outstandingToRouter = new Map<string, number>();
  /** Messages waiting for a local consumer's credit (pre-settled ones bounded, see ConsumerQueue). */
  private readonly waiting = new Map<Link, ConsumerQueue>();
  delivered = 0;
  dropped = 0;
  /** Pre-settled messages dropped because their consumer's queue was full (skupper-router's counter). */
  droppedPresettled = 0;
  /** The router settled an inbound delivery (its producer's credit follows). */
  onInboundSettled: ((delivery: Delivery) => void) | undefined = undefined;

  constructor(
    readonly routerId: string,
    private readonly routes: RouteTable,
    private readonly neighbors: ReadonlyMap<string, Neighbor>,
    private readonly rules: DistributionRules,
  ) {}

  private get traceId(): string {
    return `0/${this.routerId}`;
  }

  /** True when a message to `address` has somewhere to go now (senders get credit only then). */
  isRoutable(address: string): boolean {
    const c = classifyAddress(address, this.routerId);
    switch (c.kind) {
      case 'local':
        return this.tables.inProcess.has(`L${c.name}`) || this.hasConsumers(`L${c.name}`) || this.hasEndpoints(`L${c.name}`);
      case 'flood':
        return true;
      case 'router':
        return this.nextHop(c.routerId) !== undefined || this.tables.uplink !== undefined;
      case 'edge':
        return this.tables.edges.has(c.edgeId) || this.routes.routersFor(edgeKey(c.edgeId)).length > 0 || this.tables.uplink !== undefined;
      case 'mobile':
        return (
          this.tables.inProcess.has(`M${c.name}`) ||
          this.hasConsumers(`M${c.name}`) ||
          this.hasEndpoints(`M${c.name}`) ||
          this.routes.routersFor(c.name).length > 0 ||
          this.tables.uplink?.reachable(c.name) === true
        );
    }
  }

  private hasEndpoints(key: string): boolean {
    return (this.tables.streamEndpoints.get(key)?.length ?? 0) > 0;
  }

  /**
   * Routes a stream from its head: to an in-process endpoint, or on a link of its own toward the
   * next hop. Returns the sink its bytes go to, or undefined when it has nowhere to go.
   */
  forwardStream(s: InboundStream): StreamSink | undefined {
    if (s.from === undefined) s.view.annotations = undefined;
    const address = s.view.annotations?.toOverride ?? s.head.to;
    if ((s.view.annotations?.trace ?? []).includes(this.traceId)) return undefined;
    const c = classifyAddress(address, this.routerId);
    switch (c.kind) {
      case 'local':
        return this.pickEndpoint(`L${c.name}`)?.accept(s.head, s.source);
      case 'router':
        return this.nextHop(c.routerId) !== undefined ? this.streamToRouter(c.routerId, s) : this.streamToPeer(this.tables.uplink, s);
      case 'edge': {
        const edge = this.tables.edges.get(c.edgeId);
        if (edge !== undefined) return this.streamToPeer(edge, s);
        const remote = this.pickRemote(edgeKey(c.edgeId), false, s.view);
        return remote !== undefined ? this.streamToRouter(remote.routerId, s) : this.streamToPeer(this.tables.uplink, s);
      }
      case 'mobile': {
        const distribution = this.rules.distributionOf(c.name);
        if (distribution === 'multicast' || distribution === 'unavailable') return undefined;
        const endpoint = this.pickEndpoint(`M${c.name}`);
        const remote = this.pickRemote(c.name, distribution === 'balanced', s.view);
        const localLoad = endpoint === undefined ? Infinity : distribution === 'closest' ? 0 : endpoint.openStreams;
        if (endpoint !== undefined && (remote === undefined || localLoad <= remote.load)) return endpoint.accept(s.head, s.source);
        if (remote !== undefined) return this.streamToRouter(remote.routerId, s);
        const edge = [...this.tables.edges.values()].find((e) => e.proxies.has(c.name));
        return this.streamToPeer(edge ?? this.tables.uplink, s);
      }
      case 'flood':
        return undefined;
    }
  }

  /** A stream to an edge (or, from an edge, to its interior) on a link of its own. */
  private streamToPeer(peer: PeerSender | undefined, s: InboundStream): StreamSink | undefined {
    if (peer === undefined || peer === s.from) return undefined;
    return peer.openStream(this.annotated(s.bytes, s.view, STREAM_FLAGS, peer === this.tables.uplink), s.source);
  }

  private pickEndpoint(key: string): StreamEndpoint | undefined {
    let best: StreamEndpoint | undefined;
    for (const e of this.tables.streamEndpoints.get(key) ?? []) if (best === undefined || e.openStreams < best.openStreams) best = e;
    return best;
  }

  private streamToRouter(routerId: string, s: InboundStream): StreamSink | undefined {
    const neighbor = this.nextHop(routerId);
    if (neighbor === undefined) return undefined;
    this.outstandingToRouter.set(routerId, (this.outstandingToRouter.get(routerId) ?? 0) + 1);
    log.debug(`stream to ${s.head.to} goes to router ${routerId} via ${neighbor.routerId} (${this.outstandingToRouter.get(routerId)!} open there)`);
    let open = true;
    const tracked: StreamSource = {
      update: (state, settled) => {
        if (settled && open) {
          open = false;
          this.outstandingToRouter.set(routerId, Math.max(0, (this.outstandingToRouter.get(routerId) ?? 1) - 1));
        }
        s.source.update(state, settled);
      },
    };
    return neighbor.openStream(this.annotated(s.bytes, s.view, STREAM_FLAGS), tracked);
  }

  private hasConsumers(key: string): boolean {
    return (this.tables.consumers.get(key)?.length ?? 0) > 0;
  }

  /**
   * Interior mode: whether mobile `address` has a destination other than consumers on `edge`'s
   * connection (what an edge router is told about the addresses it sends to).
   */
  reachableBeyond(address: string, edge: Connection): boolean {
    const key = `M${address}`;
    return (
      this.tables.inProcess.has(key) ||
      this.hasEndpoints(key) ||
      this.routes.routersFor(address).length > 0 ||
      (this.tables.consumers.get(key) ?? []).some((l) => l.session.connection !== edge)
    );
  }

  forward(inbound: Inbound): void {
    let view: MessageView;
    try {
      view = viewMessage(inbound.bytes);
    } catch (err) {
      log.warning(`dropping a malformed message: ${(err as Error).message}`);
      this.settle(inbound.delivery, { $type: 'rejected', error: { condition: 'amqp:decode-error', description: (err as Error).message } });
      return;
    }
    if (inbound.from === undefined) view.annotations = undefined; // only routers may annotate
    const address = view.annotations?.toOverride ?? inbound.linkTarget ?? view.to;
    if (address === undefined) {
      this.settle(inbound.delivery, { $type: 'rejected', error: { condition: 'amqp:not-found', description: 'message has no address' } });
      return;
    }
    if (view.to !== address && (view.annotations?.toOverride ?? null) === null) {
      // The address came from the link's target: routers further on learn it from to-override.
      view.annotations = { ...(view.annotations ?? NO_ANNOTATIONS), toOverride: address };
    }
    const trace = view.annotations?.trace ?? [];
    if (trace.includes(this.traceId)) {
      // It has been here before: a loop. Drop it quietly, as the trace rule intends.
      this.settle(inbound.delivery, Released);
      return;
    }
    const c = classifyAddress(address, this.routerId);
    switch (c.kind) {
      case 'local':
        return this.toLocal(`L${c.name}`, inbound, view);
      case 'flood':
        this.callInProcess(`L${c.name}`, inbound, view);
        this.flood(inbound, view);
        return this.settle(inbound.delivery, { $type: 'accepted' });
      case 'router':
        if (this.nextHop(c.routerId) === undefined && this.tables.uplink !== undefined) return this.toPeer(this.tables.uplink, inbound, view);
        return this.toRouter(c.routerId, CONTROL_NAMES.has(c.name), inbound, view);
      case 'edge':
        return this.toEdge(c.edgeId, inbound, view);
      case 'mobile':
        return this.toMobile(c.name, inbound, view);
    }
  }

  private callInProcess(key: string, inbound: Inbound, view: MessageView): boolean {
    const handler = this.tables.inProcess.get(key);
    if (handler === undefined) return false;
    handler(inbound.bytes, view, inbound.from, inbound.logId);
    return true;
  }

  private toLocal(key: string, inbound: Inbound, view: MessageView): void {
    if (this.callInProcess(key, inbound, view)) return this.settle(inbound.delivery, { $type: 'accepted' });
    const link = this.pickLocal(key);
    if (link === undefined) {
      this.dropped++;
      return this.settle(inbound.delivery, Released);
    }
    this.sendLocal(link, this.forConsumer(link, inbound.bytes, view), inbound.delivery);
  }

  /** A router behind a consumer link (an edge) needs the annotations; a client must not see them. */
  private forConsumer(link: Link, bytes: Buffer, view: MessageView): Buffer {
    return this.tables.leadsToRouter(link) ? this.annotated(bytes, view) : withoutAnnotations(bytes, view);
  }

  private toMobile(name: string, inbound: Inbound, view: MessageView): void {
    const key = `M${name}`;
    if (this.callInProcess(key, inbound, view)) return this.settle(inbound.delivery, { $type: 'accepted' });
    const distribution = this.rules.distributionOf(name);
    if (distribution === 'multicast') return this.multicast(key, name, inbound, view);
    if (distribution === 'unavailable') return this.settle(inbound.delivery, { $type: 'rejected', error: { condition: 'amqp:not-found', description: `address ${name} is unavailable` } });
    const local = this.pickLocal(key);
    const remote = this.pickRemote(name, distribution === 'balanced', view);
    const localLoad = local === undefined ? Infinity : distribution === 'closest' ? 0 : this.localOutstanding(local);
    if (local !== undefined && (remote === undefined || localLoad <= remote.load)) {
      this.sendLocal(local, this.forConsumer(local, inbound.bytes, view), inbound.delivery);
      return;
    }
    if (remote !== undefined) return this.toRouter(remote.routerId, false, inbound, view);
    if (this.tables.uplink !== undefined && inbound.from !== this.tables.uplink) return this.toPeer(this.tables.uplink, inbound, view);
    this.dropped++;
    this.settle(inbound.delivery, Released);
  }

  /** `_edge/<id>/...`: over that edge's downlink, or toward the interior router it is attached to. */
  private toEdge(edgeId: string, inbound: Inbound, view: MessageView): void {
    const edge = this.tables.edges.get(edgeId);
    if (edge !== undefined) return this.toPeer(edge, inbound, view);
    const remote = this.pickRemote(edgeKey(edgeId), false, view);
    if (remote !== undefined) return this.toRouter(remote.routerId, false, inbound, view);
    if (this.tables.uplink !== undefined && inbound.from !== this.tables.uplink) return this.toPeer(this.tables.uplink, inbound, view);
    this.dropped++;
    this.settle(inbound.delivery, Released);
  }

  /** Sends to an edge peer or up the uplink, keeping the delivery chained for its outcome. */
  private toPeer(peer: PeerSender, inbound: Inbound, view: MessageView): void {
    const settled = inbound.delivery === undefined;
    peer.send(this.annotated(inbound.bytes, view, 0, peer === this.tables.uplink), settled, (out) => {
      if (!settled) this.chain(inbound.delivery!, out, () => undefined);
    });
  }

  private multicast(key: string, name: string, inbound: Inbound, view: MessageView): void {
    this.settle(inbound.delivery, { $type: 'accepted' });
    // An edge's proxy links are consumers here: what the edge itself sent does not go back to it.
    const fromEdge = inbound.from instanceof EdgePeer ? inbound.from.connection : undefined;
    for (const link of this.tables.consumers.get(key) ?? []) {
      if (link.session.connection !== fromEdge) this.sendLocal(link, this.forConsumer(link, inbound.bytes, view), undefined);
    }
    // An edge hands what its clients multicast to its interior, which spreads it over the mesh.
    if (this.tables.uplink !== undefined && inbound.from !== this.tables.uplink) this.tables.uplink.send(this.annotated(inbound.bytes, view, 0, true), true);
    const ingress = view.annotations?.ingressRouter?.replace(/^0\//, '') ?? this.routerId;
    const hops = new Set<string>();
    for (const routerId of this.routes.routersFor(name)) {
      const route = this.routes.route(routerId);
      if (route === undefined) continue;
      // Forward only along the tree rooted at the ingress router (valid origins), once per hop.
      if (ingress !== this.routerId && !route.validOrigins.has(ingress)) continue;
      hops.add(route.nextHopLinkId);
    }
    const annotated = this.annotated(inbound.bytes, view);
    for (const neighbor of this.neighbors.values()) {
      if (!hops.has(neighbor.linkId) || neighbor === inbound.from) continue;
      if ((view.annotations?.trace ?? []).includes(`0/${neighbor.routerId}`)) continue;
      neighbor.send('data', view.priority ?? DEFAULT_PRIORITY, annotated, true);
    }
  }

  private flood(inbound: Inbound, view: MessageView): void {
    const trace = view.annotations?.trace ?? [];
    const annotated = this.annotated(inbound.bytes, view);
    for (const neighbor of this.neighbors.values()) {
      if (neighbor === inbound.from || trace.includes(`0/${neighbor.routerId}`)) continue;
      neighbor.send('control', 0, annotated, true);
    }
  }

  private toRouter(routerId: string, control: boolean, inbound: Inbound, view: MessageView): void {
    const neighbor = this.nextHop(routerId);
    if (neighbor === undefined) {
      this.dropped++;
      return this.settle(inbound.delivery, Released);
    }
    const bytes = this.annotated(inbound.bytes, view);
    const settled = inbound.delivery === undefined;
    if (!settled) this.outstandingToRouter.set(routerId, (this.outstandingToRouter.get(routerId) ?? 0) + 1);
    neighbor.send(control ? 'control' : 'data', view.priority ?? DEFAULT_PRIORITY, bytes, settled, (out) => {
      if (settled) return;
      this.chain(inbound.delivery!, out, () => {
        this.outstandingToRouter.set(routerId, Math.max(0, (this.outstandingToRouter.get(routerId) ?? 1) - 1));
      });
    });
  }

  /** A message for one neighbor's control link, annotated as coming from here. */
  sendToNeighbor(neighbor: Neighbor, bytes: Buffer): void {
    const view = viewMessage(bytes);
    view.annotations = undefined;
    neighbor.send('control', 0, this.annotated(bytes, view), true);
  }

  /**
   * The neighbor to send toward a router: its route's next hop, or — before routes are computed
   * (the two ends of a new link learn each other a HELLO apart) — the router itself when it is a
   * neighbor, so a reply to a router that just reached us is not lost.
   */
  private nextHop(routerId: string): Neighbor | undefined {
    const route = this.routes.route(routerId);
    if (route !== undefined) return this.neighborByLink(route.nextHopLinkId);
    return this.neighbors.get(routerId);
  }

  private neighborByLink(linkId: string): Neighbor | undefined {
    for (const n of this.neighbors.values()) if (n.linkId === linkId) return n;
    return undefined;
  }

  /**
   * The message with this hop's router annotations: ingress set if absent, this router appended
   * to the trace. Toward its interior an edge sends neither (skupper-router's edges do the same),
   * so the interior is the ingress as far as the mesh is concerned.
   */
  private annotated(bytes: Buffer, view: MessageView, flags = 0, upward = false): Buffer {
    const ra: RouterAnnotations = {
      flags: view.annotations?.flags ?? flags,
      toOverride: view.annotations?.toOverride ?? null,
      ingressRouter: upward ? null : (view.annotations?.ingressRouter ?? this.traceId),
      trace: upward ? [] : [...(view.annotations?.trace ?? []), this.traceId],
      ingressMesh: view.annotations?.ingressMesh ?? null,
    };
    return withAnnotations(bytes, view, ra);
  }

  /** A local consumer link, rotating among them (closest and balanced alike, locally). */
  private pickLocal(key: string): Link | undefined {
    const links = this.tables.consumers.get(key);
    if (links === undefined || links.length === 0) return undefined;
    const at = (this.rotation.get(key) ?? 0) % links.length;
    this.rotation.set(key, at + 1);
    return links[at];
  }

  private localOutstanding(link: Link): number {
    return this.undelivered(link);
  }

  /** Messages waiting for a local consumer link's credit. */
  undelivered(link: Link): number {
    return this.waiting.get(link)?.length ?? 0;
  }

  /** Pre-settled messages dropped from a local consumer link's queue. */
  droppedPresettledOn(link: Link): number {
    return this.waiting.get(link)?.droppedPresettled ?? 0;
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
    const start = (this.rotation.get(`R${name}`) ?? 0) % Math.max(1, candidates.length);
    this.rotation.set(`R${name}`, start + 1);
    for (let i = 0; i < candidates.length; i++) {
      const routerId = candidates[(start + i) % candidates.length]!;
      const route = this.routes.route(routerId);
      if (route === undefined) continue;
      const hop = this.neighborByLink(route.nextHopLinkId);
      if (hop !== undefined && visited.includes(`0/${hop.routerId}`)) continue;
      const load = route.cost + (balanced ? (this.outstandingToRouter.get(routerId) ?? 0) : 0);
      if (best === undefined || load < best.load) best = { routerId, load };
    }
    return best;
  }

  private sendLocal(link: Link, bytes: Buffer, inbound: Delivery | undefined): void {
    let queue = this.waiting.get(link);
    if (link.credit > 0 && (queue === undefined || queue.length === 0)) {
      this.sendNow(link, bytes, inbound);
      return;
    }
    if (queue === undefined) {
      queue = new ConsumerQueue();
      this.waiting.set(link, queue);
    }
    const dropped = queue.push({ bytes, inbound });
    if (dropped > 0) {
      this.droppedPresettled += dropped;
      log.debug(`${link.logId} consumer has no credit: dropped ${dropped} pre-settled messages (${queue.droppedPresettled} on this link)`);
    }
  }

  private sendNow(link: Link, bytes: Buffer, inbound: Delivery | undefined): void {
    const presettled = inbound === undefined || link.local.sndSettleMode === 1;
    const out = link.send(bytes, { settled: presettled });
    this.delivered++;
    if (inbound !== undefined) {
      if (presettled) this.settle(inbound, { $type: 'accepted' });
      else this.chain(inbound, out, () => undefined);
    }
  }

  /** A local consumer link got credit: send what waited for it. */
  drainLocal(link: Link): void {
    const queue = this.waiting.get(link);
    while (queue !== undefined && link.credit > 0) {
      const next = queue.shift();
      if (next === undefined) return;
      this.sendNow(link, next.bytes, next.inbound);
    }
  }

  /** A local consumer link went away: what waited for it is released to its senders. */
  dropLocal(link: Link): void {
    for (const item of this.waiting.get(link)?.takeAll() ?? []) this.settle(item.inbound, Released);
    this.waiting.delete(link);
  }

  /**
   * Links an outbound copy to its inbound delivery: the final outcome flows back. No copy (the
   * link it waited for went away before it was sent) releases the inbound delivery.
   */
  private chain(inbound: Delivery, out: Delivery | undefined, onDone: () => void): void {
    if (out === undefined) {
      onDone();
      return this.settle(inbound, Released);
    }
    out.onUpdate = (d) => {
      if (!d.remoteSettled && !isTerminal(d.remoteState)) {
        if (d.remoteState !== undefined) inbound.update(d.remoteState, false);
        return;
      }
      onDone();
      this.settle(inbound, d.remoteState ?? Released);
      if (!d.settled) d.update(d.remoteState, true);
    };
  }

  /** Settles an inbound delivery here (unless its sender already did) and says so. */
  private settle(delivery: Delivery | undefined, state: DeliveryState): void {
    if (delivery === undefined || delivery.settled) return;
    if (!delivery.remoteSettled) delivery.update(state, true);
    this.onInboundSettled?.(delivery);
  }
}
