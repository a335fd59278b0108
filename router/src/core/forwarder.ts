/**
 * Sends messages and streams where `Destinations` says they go (§c.5): in-process services, local
 * consumer links or stream endpoints, edges and the uplink, and neighbor routers (with router
 * annotations: ingress, trace). Unsettled anycast
 * deliveries stay linked to their copy so the final receiver's outcome reaches the sender;
 * multicast and flooded messages are accepted at ingress and sent settled.
 */
import type { Delivery } from '../amqp/engine/delivery.js';
import type { Link } from '../amqp/engine/link.js';
import { isTerminal, Released, type DeliveryState } from '../amqp/engine/types.js';
import type { RouterAnnotations } from '../amqp/codec/message.js';
import { logger } from '../log.js';
import type { DistributionRules } from './addresses.js';
import { Destinations, type LocalTargets } from './destinations.js';
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
  /** The message already read from `bytes`, when the caller has read it. */
  view?: MessageView;
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
  readonly destinations: Destinations;
  /** Where each address's next local consumer pick starts, so its links take turns. */
  private readonly rotation = new Map<string, number>();
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
    rules: DistributionRules,
  ) {
    this.destinations = new Destinations(routerId, routes, neighbors, rules, this.tables);
  }

  private get traceId(): string {
    return `0/${this.routerId}`;
  }

  /**
   * Routes a stream from its head: to an in-process endpoint, or on a link of its own toward the
   * next hop. Returns the sink its bytes go to, or undefined when it has nowhere to go.
   */
  forwardStream(s: InboundStream): StreamSink | undefined {
    if (s.from === undefined) s.view.annotations = undefined;
    const d = this.destinations.choose(s.view.annotations?.toOverride ?? s.head.to, s.view, s.from, this.endpoints);
    switch (d.kind) {
      case 'local':
        return d.target.accept(s.head, s.source);
      case 'router':
        return this.streamToRouter(d.routerId, s);
      case 'peer':
        return this.streamToPeer(d.peer, s);
      default:
        return undefined;
    }
  }

  /** Stream endpoints, as the local targets of streams: the one with fewest open streams. */
  private readonly endpoints: LocalTargets<StreamEndpoint> = {
    services: false,
    pick: (key) => {
      let best: StreamEndpoint | undefined;
      for (const e of this.tables.streamEndpoints.get(key) ?? []) if (best === undefined || e.openStreams < best.openStreams) best = e;
      return best;
    },
    load: (endpoint) => endpoint.openStreams,
  };

  /** Consumer links, as the local targets of messages: taking turns. */
  private readonly consumerLinks: LocalTargets<Link> = {
    services: true,
    pick: (key) => this.pickLocal(key),
    load: (link) => this.undelivered(link),
  };

  /** A stream to an edge (or, from an edge, to its interior) on a link of its own. */
  private streamToPeer(peer: PeerSender | undefined, s: InboundStream): StreamSink | undefined {
    if (peer === undefined || peer === s.from) return undefined;
    return peer.openStream(this.annotated(s.bytes, s.view, STREAM_FLAGS, peer === this.tables.uplink), s.source);
  }

  private streamToRouter(routerId: string, s: InboundStream): StreamSink | undefined {
    const neighbor = this.destinations.nextHop(routerId);
    if (neighbor === undefined) return undefined;
    const done = this.destinations.sentTo(routerId);
    log.debug(`stream to ${s.head.to} goes to router ${routerId} via ${neighbor.routerId} (${this.destinations.outstandingTo(routerId)} open there)`);
    const tracked: StreamSource = {
      update: (state, settled) => {
        if (settled) done();
        s.source.update(state, settled);
      },
    };
    return neighbor.openStream(this.annotated(s.bytes, s.view, STREAM_FLAGS), tracked);
  }

  forward(inbound: Inbound): void {
    let view: MessageView;
    try {
      view = inbound.view ?? viewMessage(inbound.bytes);
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
    const d = this.destinations.choose(address, view, inbound.from, this.consumerLinks);
    switch (d.kind) {
      case 'loop':
        // It has been here before: drop it quietly, as the trace rule intends.
        return this.settle(inbound.delivery, Released);
      case 'service':
        d.handler(inbound.bytes, view, inbound.from, inbound.logId);
        return this.settle(inbound.delivery, { $type: 'accepted' });
      case 'local':
        return this.sendLocal(d.target, this.forConsumer(d.target, inbound.bytes, view), inbound.delivery);
      case 'flood':
        this.tables.inProcess.get(`L${d.name}`)?.(inbound.bytes, view, inbound.from, inbound.logId);
        this.flood(inbound, view);
        return this.settle(inbound.delivery, { $type: 'accepted' });
      case 'router':
        return this.toRouter(d.routerId, d.control, inbound, view);
      case 'peer':
        return this.toPeer(d.peer, inbound, view);
      case 'multicast':
        return this.multicast(`M${d.name}`, d.name, inbound, view);
      case 'unavailable':
        return this.settle(inbound.delivery, { $type: 'rejected', error: { condition: 'amqp:not-found', description: `address ${d.name} is unavailable` } });
      case 'nowhere':
        this.dropped++;
        return this.settle(inbound.delivery, Released);
    }
  }

  /** A router behind a consumer link (an edge) needs the annotations; a client must not see them. */
  private forConsumer(link: Link, bytes: Buffer, view: MessageView): Buffer {
    return this.tables.leadsToRouter(link) ? this.annotated(bytes, view) : withoutAnnotations(bytes, view);
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
    const neighbor = this.destinations.nextHop(routerId);
    if (neighbor === undefined) {
      this.dropped++;
      return this.settle(inbound.delivery, Released);
    }
    const bytes = this.annotated(inbound.bytes, view);
    const settled = inbound.delivery === undefined;
    const done = settled ? undefined : this.destinations.sentTo(routerId);
    neighbor.send(control ? 'control' : 'data', view.priority ?? DEFAULT_PRIORITY, bytes, settled, (out) => {
      if (done !== undefined) this.chain(inbound.delivery!, out, done);
    });
  }

  /** A message for one neighbor's control link, annotated as coming from here. */
  sendToNeighbor(neighbor: Neighbor, bytes: Buffer): void {
    const view = viewMessage(bytes);
    view.annotations = undefined;
    neighbor.send('control', 0, this.annotated(bytes, view), true);
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

  /** Messages waiting for a local consumer link's credit. */
  undelivered(link: Link): number {
    return this.waiting.get(link)?.length ?? 0;
  }

  /** Pre-settled messages dropped from a local consumer link's queue. */
  droppedPresettledOn(link: Link): number {
    return this.waiting.get(link)?.droppedPresettled ?? 0;
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
