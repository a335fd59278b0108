/**
 * The routing protocol of an interior router (§c.2–c.4), transport-free and driven by an
 * injected clock, so that several engines can be wired together in memory and tested.
 *
 *   inputs                                    outputs (send)
 *   neighborLinkUp/Down(linkId) ──▶ NeighborTable ──▶ HELLO each helloInterval, per link
 *   receive(linkId, HELLO)      ──▶   two-way peers ──▶ LinkStateDatabase (own ls_seq)
 *   receive(RA)  ──▶ LSR (newer ls_seq) / MAR (newer mobile_seq)   RA on change, every
 *   receive(LSU) ──▶ LinkStateDatabase ──▶ computePaths ──▶        raIntervalFlux / raInterval
 *                                        routesChanged, nodeAdded/Removed
 *   add/removeLocalAddress ──▶ MobileSync ──▶ differential MAU (≤ 1 per second), absolute on MAR
 *   receive(MAU)           ──▶ MobileSync ──▶ addressesChanged
 *   tick() ──▶ timers: HELLO, neighbor expiry, LS expiry, unreachable holdoff, MAU, RA
 *
 * Malformed control messages are logged and dropped; newer protocol versions are ignored.
 */
import type { Message } from '../amqp/codec/message.js';
import { logger } from '../log.js';
import { LinkStateDatabase } from './link-state-db.js';
import { buildControlMessage, ControlAddress, parseControlMessage, type ControlBody, type RaBody } from './messages.js';
import { MobileSync } from './mobile-sync.js';
import { NeighborTable, type NeighborChange } from './neighbors.js';
import { computePaths, type PathResult } from './paths.js';
import { RouteTable, type RouteEntry } from './route-table.js';
import { describeNodes, type RouterNodeView } from './router-node-view.js';

const log = logger('ROUTER_LS');

/** skupper-router's mobile-sync module sends differential MAUs on its one-second core tick. */
const MAU_INTERVAL_MS = 1000;

/** All in milliseconds. */
export interface RoutingTimers {
  helloInterval: number;
  helloMaxAge: number;
  raInterval: number;
  raIntervalFlux: number;
  remoteLsMaxAge: number;
  unreachableHoldoff: number;
}

/** skupper-router's defaults (helloIntervalSeconds 1, helloMaxAgeSeconds 3, ...). */
export const DEFAULT_TIMERS: RoutingTimers = {
  helloInterval: 1000,
  helloMaxAge: 3000,
  raInterval: 30000,
  raIntervalFlux: 4000,
  remoteLsMaxAge: 60000,
  unreachableHoldoff: 1000,
};

/** HELLO goes straight down one control link; everything else is routed by its `to`. */
export type ControlDestination = { via: 'neighbor'; linkId: string } | { via: 'route'; to: string };

export interface OutgoingControl {
  destination: ControlDestination;
  message: Message;
  /** The typed body the message carries, for logs and tests. */
  body: ControlBody;
}

export interface RoutingEvents {
  routesChanged?(table: ReadonlyMap<string, RouteEntry>): void;
  nodeAdded?(id: string): void;
  nodeRemoved?(id: string): void;
  addressesChanged?(address: string, routersWithConsumers: ReadonlySet<string>, treatment: number): void;
}

export interface RoutingEngineOptions {
  id: string;
  /** Boot time in seconds, as skupper-router sends it: a new one tells peers we restarted. */
  instance: number;
  timers?: Partial<RoutingTimers>;
  now: () => number;
  send: (out: OutgoingControl) => void;
  events?: RoutingEvents;
}

export class RoutingEngine {
  readonly id: string;
  readonly instance: number;
  private readonly timers: RoutingTimers;
  private readonly now: () => number;
  private readonly out: (out: OutgoingControl) => void;
  private readonly events: RoutingEvents;
  private readonly neighbors: NeighborTable;
  private readonly lsdb: LinkStateDatabase;
  private readonly mobile: MobileSync;
  private readonly routes = new RouteTable();
  private paths: PathResult = { nextHop: new Map(), cost: new Map(), validOrigins: new Map(), unreachable: new Set() };
  /** Routers that became unreachable → when: their addresses are unmapped after the holdoff. */
  private readonly unreachableSince = new Map<string, number>();
  private lastHello = -Infinity;
  private lastRa = -Infinity;
  private lastMau = -Infinity;
  private raDue = false;
  private fluxUntil = -Infinity;
  private topoChangedAt: number;

  constructor(options: RoutingEngineOptions) {
    this.id = options.id;
    this.instance = options.instance;
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.now = options.now;
    this.out = options.send;
    this.events = options.events ?? {};
    this.neighbors = new NeighborTable(this.id, this.instance, this.timers.helloMaxAge);
    this.lsdb = new LinkStateDatabase(this.id, this.timers.remoteLsMaxAge);
    this.mobile = new MobileSync(this.id, (address, routers, treatment) => this.events.addressesChanged?.(address, routers, treatment));
    this.topoChangedAt = this.now();
  }

  // ---- inputs ----------------------------------------------------------------------------------

  /** A control link to another interior router is up; `cost` = max(local, remote advertised). */
  neighborLinkUp(linkId: string, cost: number): void {
    this.neighbors.linkUp(linkId, cost);
    this.sendHello([linkId]);
  }

  neighborLinkDown(linkId: string): void {
    this.apply(this.neighbors.linkDown(linkId));
  }

  /** A decoded control message that arrived on control link `linkId`. */
  receive(linkId: string, message: Message): void {
    let body: ControlBody | undefined;
    try {
      body = parseControlMessage(message);
    } catch (err) {
      log.warning(`dropping a control message from link ${linkId}: ${(err as Error).message}`);
      return;
    }
    if (body === undefined) {
      log.debug(`ignoring a control message of a newer protocol version on link ${linkId}`);
      return;
    }
    if (body.opcode === 'HELLO') {
      this.apply(this.neighbors.hello(linkId, body, this.now()));
      return;
    }
    if (body.id === this.id) return; // our own flood coming back
    this.dispatch(body);
  }

  addLocalAddress(address: string, treatment: number): void {
    this.mobile.add(address, treatment);
  }

  removeLocalAddress(address: string): void {
    this.mobile.remove(address);
  }

  /** Runs the timers; call it often (every 100–250 ms). */
  tick(): void {
    const now = this.now();
    this.apply(this.neighbors.expire(now));
    if (now - this.lastHello >= this.timers.helloInterval) this.sendHello(this.neighbors.linkIds());
    if (this.lsdb.expire(now).length > 0) this.recompute();
    for (const [id, since] of this.unreachableSince) {
      if (now - since < this.timers.unreachableHoldoff) continue;
      this.unreachableSince.delete(id);
      log.info(`router ${id} unreachable for ${this.timers.unreachableHoldoff} ms: unmapping its addresses`);
      this.mobile.forget(id);
    }
    if (this.mobile.hasPending && now - this.lastMau >= MAU_INTERVAL_MS) {
      this.lastMau = now;
      this.emit({ via: 'route', to: ControlAddress.allMobile }, this.mobile.flush());
      this.raDue = true;
    }
    const raInterval = now < this.fluxUntil ? this.timers.raIntervalFlux : this.timers.raInterval;
    if (this.raDue || now - this.lastRa >= raInterval) this.sendRa(now);
  }

  // ---- protocol --------------------------------------------------------------------------------

  private dispatch(body: Exclude<ControlBody, { opcode: 'HELLO' }>): void {
    switch (body.opcode) {
      case 'RA':
        return this.onRa(body);
      case 'LSR':
        return this.emit(
          { via: 'route', to: ControlAddress.router(body.id) },
          { opcode: 'LSU', id: this.id, instance: this.instance, lsSeq: this.lsdb.lsSeq, peers: this.lsdb.peers },
        );
      case 'LSU':
        if (this.lsdb.update(body, this.now())) this.recompute();
        return;
      case 'MAU': {
        const haveSeq = this.mobile.received(body);
        if (haveSeq !== undefined) this.requestMobile(body.id, haveSeq);
        return;
      }
      case 'MAR':
        return this.emit({ via: 'route', to: ControlAddress.mobile(body.id) }, this.mobile.absolute());
    }
  }

  private onRa(ra: RaBody): void {
    if (this.lsdb.advertised(ra, this.now())) this.requestLinkState(ra.id);
    const haveSeq = this.mobile.advertised(ra);
    if (haveSeq !== undefined) this.requestMobile(ra.id, haveSeq);
  }

  private apply(changes: readonly NeighborChange[]): void {
    if (changes.length === 0) return;
    let stale = false;
    for (const change of changes) {
      if (change.kind !== 'restarted') continue;
      // Its old link state and addresses describe the previous run: pull them afresh.
      stale = this.lsdb.forget(change.peerId) || stale;
      this.mobile.forget(change.peerId);
    }
    const peers = new Map([...this.neighbors.upNeighbors()].map(([id, n]) => [id, n.cost]));
    const ownChanged = this.lsdb.setOwnPeers(peers);
    if (ownChanged) {
      this.fluxUntil = this.now() + 2 * this.timers.raIntervalFlux;
      this.raDue = true;
    }
    if (ownChanged || stale) this.recompute();
    for (const change of changes) if (change.kind === 'up') this.requestLinkState(change.peerId);
  }

  private recompute(): void {
    const now = this.now();
    this.paths = computePaths(this.lsdb.collection(), this.id);
    const links = this.neighbors.upNeighbors();
    const diff = this.routes.replace(this.paths, (hop) => links.get(hop)?.linkId);
    if (!diff.changed) return;
    this.topoChangedAt = now;
    this.fluxUntil = now + 2 * this.timers.raIntervalFlux;
    for (const id of diff.added) {
      this.unreachableSince.delete(id);
      log.info(`router ${id}: unreachable -> reachable`);
      this.events.nodeAdded?.(id);
    }
    for (const id of diff.removed) {
      this.unreachableSince.set(id, now);
      log.info(`router ${id}: reachable -> unreachable`);
      this.events.nodeRemoved?.(id);
    }
    this.events.routesChanged?.(this.routes.entries);
  }

  // ---- sending ---------------------------------------------------------------------------------

  private sendHello(linkIds: readonly string[]): void {
    const now = this.now();
    this.lastHello = now;
    const hello: ControlBody = { opcode: 'HELLO', id: this.id, instance: this.instance, seen: this.neighbors.seen(now) };
    for (const linkId of linkIds) this.emit({ via: 'neighbor', linkId }, hello);
  }

  private sendRa(now: number): void {
    this.raDue = false;
    this.lastRa = now;
    const ra: ControlBody = { opcode: 'RA', id: this.id, instance: this.instance, lsSeq: this.lsdb.lsSeq, mobileSeq: this.mobile.mobileSeq };
    this.emit({ via: 'route', to: ControlAddress.allRouters }, ra);
  }

  private requestLinkState(id: string): void {
    this.emit({ via: 'route', to: ControlAddress.router(id) }, { opcode: 'LSR', id: this.id });
  }

  private requestMobile(id: string, haveSeq: number): void {
    this.emit({ via: 'route', to: ControlAddress.mobile(id) }, { opcode: 'MAR', id: this.id, haveSeq });
  }

  private emit(destination: ControlDestination, body: ControlBody): void {
    const to = destination.via === 'route' ? destination.to : ControlAddress.hello;
    this.out({ destination, message: buildControlMessage(body, to), body });
  }

  // ---- read-only state (management) --------------------------------------------------------------

  /** Reachable routers → next hop, cost, valid origins. */
  get routeTable(): ReadonlyMap<string, RouteEntry> {
    return this.routes.entries;
  }

  /** Known but unreachable routers. */
  get unreachable(): ReadonlySet<string> {
    return this.paths.unreachable;
  }

  get lsSeq(): number {
    return this.lsdb.lsSeq;
  }

  get mobileSeq(): number {
    return this.mobile.mobileSeq;
  }

  /** Addresses with consumers on other routers → router → treatment. */
  get remoteAddresses(): ReadonlyMap<string, ReadonlyMap<string, number>> {
    return this.mobile.remoteAddresses();
  }

  /** The rows of management's `router.node` entity, this router first. */
  nodes(): RouterNodeView[] {
    return describeNodes({
      self: { id: this.id, instance: this.instance, peers: this.lsdb.peers, lastTopoChange: Math.floor(this.topoChangedAt / 1000) },
      routes: this.routes,
      stateOf: (id) => this.lsdb.get(id),
    });
  }
}

export type { RouteEntry } from './route-table.js';
export type { RouterNodeView } from './router-node-view.js';
