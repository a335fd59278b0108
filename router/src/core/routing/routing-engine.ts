/**
 * The routing protocol of an interior router (§c.2–c.4), transport-free and clock-driven:
 *
 *   HELLO every helloInterval to each neighbor, and at once when a neighbor is first heard; a
 *   neighbor is up once its HELLO lists us (two-way) and down when none arrives within
 *   helloMaxAge, or at once when its link dies.
 *   Our link state (two-way neighbors and costs) gets a new ls_seq on every change; RA announces
 *   (ls_seq, mobile_seq) at once on change, every raIntervalFlux while in flux, else every
 *   raInterval. An RA with news makes us pull: LSR → LSU, MAR → absolute MAU.
 *   Local mobile addresses go out as differential MAUs, at most one per second.
 *
 * Inputs: linkUp/linkDown from the router, receive() for each routing message, tick() often.
 * Outputs: messages to send, new paths, and which routers have consumers for which address.
 */
import { logger } from '../../log.js';
import { Addresses, encodeRoutingMessage, type MobileEntry, type RoutingMessage } from './messages.js';
import { computePaths, type PathResult } from './paths.js';

const log = logger('ROUTER_LS');
const helloLog = logger('ROUTER_HELLO');
const mobileLog = logger('ROUTER_MA');
const MAU_INTERVAL_MS = 1000;

export interface RoutingTimers {
  helloIntervalMs: number;
  helloMaxAgeMs: number;
  raIntervalMs: number;
  raIntervalFluxMs: number;
  remoteLsMaxAgeMs: number;
}

export interface RoutingOutputs {
  /** One hop, on the control link to a neighbor (HELLO). */
  sendToNeighbor(neighborId: string, bytes: Buffer): void;
  /** Routed by address: flooded to all routers, or toward one. */
  send(bytes: Buffer): void;
  pathsChanged(paths: PathResult): void;
  addressChanged(address: string, routers: ReadonlySet<string>, treatment: number): void;
}

interface NeighborLink {
  cost: number;
  lastHello: number | undefined;
  twoWay: boolean;
  instance: number | undefined;
}

interface RemoteState {
  instance: number;
  lsSeq: number;
  peers: ReadonlyMap<string, number>;
  updated: number;
}

interface RemoteMobile {
  seq: number;
  addresses: Map<string, number>;
}

/** What management's router.node entity shows of one router. */
export interface NodeInfo {
  id: string;
  instance: number | undefined;
  lsSeq: number | undefined;
  mobileSeq: number | undefined;
  cost: number | undefined;
  nextHop: string | undefined;
  peers: string[];
  validOrigins: string[];
}

export class RoutingEngine {
  private readonly links = new Map<string, NeighborLink>();
  private readonly ownPeers = new Map<string, number>();
  private lsSeq = 0;
  private readonly lsdb = new Map<string, RemoteState>();
  private readonly announced = new Map<string, { instance: number; lsSeq: number; mobileSeq: number }>();
  private paths: PathResult = { nextHop: new Map(), cost: new Map(), validOrigins: new Map() };
  private fluxUntil = 0;
  /** When the computed topology last changed (seconds since the epoch), for router.node. */
  lastTopoChange = 0;
  private lastHello = -Infinity;
  private lastRa = -Infinity;
  private raDue = false;
  private readonly local = new Map<string, number>();
  private mobileSeq = 0;
  private pendingAdd = new Map<string, number>();
  private pendingDel = new Set<string>();
  private lastMau = -Infinity;
  private readonly remoteMobile = new Map<string, RemoteMobile>();
  private readonly addressRouters = new Map<string, { routers: Set<string>; treatment: number }>();

  constructor(
    readonly id: string,
    readonly instance: number,
    private readonly timers: RoutingTimers,
    private readonly now: () => number,
    private readonly out: RoutingOutputs,
  ) {}

  // ---- inputs from the router ------------------------------------------------------------

  linkUp(neighborId: string, cost: number): void {
    this.links.set(neighborId, { cost, lastHello: undefined, twoWay: false, instance: undefined });
    this.sendHellos();
  }

  linkDown(neighborId: string): void {
    const link = this.links.get(neighborId);
    this.links.delete(neighborId);
    if (link?.twoWay === true) this.neighborLost(neighborId, 'its link closed');
  }

  setLocalAddress(address: string, treatment: number | undefined): void {
    if (treatment === undefined) {
      if (!this.local.delete(address)) return;
      this.pendingAdd.delete(address);
      this.pendingDel.add(address);
    } else {
      if (this.local.get(address) === treatment) return;
      this.local.set(address, treatment);
      this.pendingDel.delete(address);
      this.pendingAdd.set(address, treatment);
    }
  }

  tick(): void {
    const now = this.now();
    if (now - this.lastHello >= this.timers.helloIntervalMs) this.sendHellos();
    for (const [id, link] of this.links) {
      if (link.twoWay && link.lastHello !== undefined && now - link.lastHello > this.timers.helloMaxAgeMs) {
        link.twoWay = false;
        this.neighborLost(id, `no HELLO for ${this.timers.helloMaxAgeMs} ms`);
      }
    }
    if (this.pendingAdd.size + this.pendingDel.size > 0 && now - this.lastMau >= MAU_INTERVAL_MS) this.sendMauDiff();
    const interval = now < this.fluxUntil ? this.timers.raIntervalFluxMs : this.timers.raIntervalMs;
    if (this.raDue || now - this.lastRa >= interval) this.sendRa();
    this.expire(now);
  }

  receive(msg: RoutingMessage): void {
    if (msg.id === this.id) {
      if (msg.op === 'HELLO' && msg.instance !== this.instance) {
        log.error(`another router uses our id ${this.id} (instance ${msg.instance}, ours ${this.instance}): fix the router ids`);
      }
      return;
    }
    switch (msg.op) {
      case 'HELLO':
        return this.onHello(msg.id, msg.instance, msg.seen);
      case 'RA':
        return this.onRa(msg.id, msg.instance, msg.lsSeq, msg.mobileSeq);
      case 'LSR':
        return this.sendTo(msg.id, { op: 'LSU', id: this.id, instance: this.instance, lsSeq: this.lsSeq, peers: new Map(this.ownPeers) });
      case 'LSU':
        return this.onLsu(msg.id, msg.instance, msg.lsSeq, msg.peers);
      case 'MAU':
        return this.onMau(msg);
      case 'MAR':
        return this.sendMobileTo(msg.id, { op: 'MAU', id: this.id, mobileSeq: this.mobileSeq, exist: this.localEntries() });
    }
  }

  // ---- HELLO and link state ----------------------------------------------------------------

  private onHello(id: string, instance: number, seen: readonly string[]): void {
    const link = this.links.get(id);
    if (link === undefined) return;
    if (link.instance !== undefined && link.instance !== instance) {
      helloLog.info(`router ${id} restarted (instance ${link.instance} -> ${instance})`);
      this.lsdb.delete(id);
      this.dropRemoteMobile(id);
    }
    link.instance = instance;
    // A neighbor we had not seen learns at once that we see it: the link is two-way one round
    // trip after it opened, not up to two HELLO intervals later.
    const unseen = link.lastHello === undefined || link.lastHello < this.now() - this.timers.helloMaxAgeMs;
    link.lastHello = this.now();
    if (unseen) this.sendHellos();
    const twoWay = seen.includes(this.id);
    if (twoWay === link.twoWay) return;
    link.twoWay = twoWay;
    if (twoWay) {
      helloLog.info(`neighbor ${id} up (cost ${link.cost})`);
      this.ownPeers.set(id, link.cost);
      this.ownChanged();
      this.sendTo(id, { op: 'LSR', id: this.id });
    } else {
      this.neighborLost(id, 'its HELLO no longer lists us');
    }
  }

  private neighborLost(id: string, why: string): void {
    helloLog.info(`neighbor ${id} down: ${why}`);
    if (this.ownPeers.delete(id)) this.ownChanged();
  }

  private ownChanged(): void {
    this.lsSeq++;
    this.fluxUntil = this.now() + 2 * this.timers.raIntervalFluxMs;
    this.raDue = true;
    this.recompute();
  }

  private onRa(id: string, instance: number, lsSeq: number, mobileSeq: number): void {
    const before = this.announced.get(id);
    this.announced.set(id, { instance, lsSeq, mobileSeq });
    const stored = this.lsdb.get(id);
    if (stored === undefined || stored.instance !== instance || stored.lsSeq < lsSeq) this.sendTo(id, { op: 'LSR', id: this.id });
    // A restarted router announces its addresses afresh: what the old one had is gone with it.
    if (before !== undefined && before.instance !== instance) this.dropRemoteMobile(id);
    const mobile = this.remoteMobile.get(id);
    if ((mobile?.seq ?? 0) < mobileSeq) this.sendMobileTo(id, { op: 'MAR', id: this.id, haveSeq: mobile?.seq ?? 0 });
  }

  private onLsu(id: string, instance: number, lsSeq: number, peers: ReadonlyMap<string, number>): void {
    const stored = this.lsdb.get(id);
    if (stored !== undefined && stored.instance === instance && stored.lsSeq >= lsSeq) return;
    this.lsdb.set(id, { instance, lsSeq, peers, updated: this.now() });
    log.debug(`link state of ${id} (seq ${lsSeq}): ${[...peers].map(([p, c]) => `${p}:${c}`).join(' ')}`);
    this.recompute();
  }

  private recompute(): void {
    const db = new Map<string, ReadonlyMap<string, number>>([[this.id, this.ownPeers]]);
    for (const [id, state] of this.lsdb) db.set(id, state.peers);
    const before = this.paths;
    this.paths = computePaths(db, this.id);
    let changed = false;
    for (const id of before.cost.keys()) {
      if (this.paths.cost.has(id)) continue;
      changed = true;
      log.info(`router ${id} unreachable`);
    }
    for (const [id, cost] of this.paths.cost) {
      if (before.cost.get(id) !== cost || before.nextHop.get(id) !== this.paths.nextHop.get(id)) {
        changed = true;
        log.info(`route to ${id}: via ${this.paths.nextHop.get(id)!}, cost ${cost}`);
      }
    }
    if (changed) this.lastTopoChange = Math.floor(this.now() / 1000);
    this.out.pathsChanged(this.paths);
  }

  /** Forgets what unreachable routers told us once it is older than remoteLsMaxAge. */
  private expire(now: number): void {
    for (const [id, state] of this.lsdb) {
      if (!this.paths.cost.has(id) && now - state.updated > this.timers.remoteLsMaxAgeMs) {
        this.lsdb.delete(id);
        this.announced.delete(id);
        this.dropRemoteMobile(id);
      }
    }
  }

  // ---- mobile addresses -----------------------------------------------------------------------

  private localEntries(): MobileEntry[] {
    return [...this.local].map(([address, treatment]) => ({ address, treatment }));
  }

  /** One differential MAU carries every change since the last: one sequence number, no gaps. */
  private sendMauDiff(): void {
    this.mobileSeq++;
    this.raDue = true;
    const add = [...this.pendingAdd].map(([address, treatment]) => ({ address, treatment }));
    const del = [...this.pendingDel];
    this.pendingAdd = new Map();
    this.pendingDel = new Set();
    this.lastMau = this.now();
    mobileLog.debug(`MAU seq ${this.mobileSeq}: add ${add.map((a) => a.address).join(' ')} del ${del.join(' ')}`);
    this.out.send(encodeRoutingMessage({ op: 'MAU', id: this.id, mobileSeq: this.mobileSeq, add, del }, Addresses.mauFlood));
  }

  private onMau(msg: Extract<RoutingMessage, { op: 'MAU' }>): void {
    let state = this.remoteMobile.get(msg.id);
    if (msg.exist !== undefined) {
      const addresses = new Map(msg.exist.map((e) => [e.address, e.treatment]));
      const old = state?.addresses ?? new Map<string, number>();
      this.remoteMobile.set(msg.id, { seq: msg.mobileSeq, addresses });
      for (const address of new Set([...old.keys(), ...addresses.keys()])) this.updateAddress(address, msg.id, addresses.get(address));
      return;
    }
    if (state === undefined) {
      state = { seq: 0, addresses: new Map() };
      this.remoteMobile.set(msg.id, state);
    }
    const have = state.seq;
    if (msg.mobileSeq <= have) return;
    if (msg.mobileSeq > have + 1) {
      // A differential update skipped one: ask for the whole list.
      this.sendMobileTo(msg.id, { op: 'MAR', id: this.id, haveSeq: have });
      return;
    }
    state.seq = msg.mobileSeq;
    for (const e of msg.add ?? []) {
      state.addresses.set(e.address, e.treatment);
      this.updateAddress(e.address, msg.id, e.treatment);
    }
    for (const address of msg.del ?? []) {
      state.addresses.delete(address);
      this.updateAddress(address, msg.id, undefined);
    }
  }

  private dropRemoteMobile(id: string): void {
    const state = this.remoteMobile.get(id);
    this.remoteMobile.delete(id);
    for (const address of state?.addresses.keys() ?? []) this.updateAddress(address, id, undefined);
  }

  private updateAddress(address: string, router: string, treatment: number | undefined): void {
    let entry = this.addressRouters.get(address);
    if (treatment === undefined) {
      if (entry === undefined || !entry.routers.delete(router)) return;
    } else {
      entry ??= { routers: new Set(), treatment };
      entry.treatment = treatment;
      if (entry.routers.has(router)) return;
      entry.routers.add(router);
      this.addressRouters.set(address, entry);
    }
    mobileLog.info(`address ${address} ${treatment === undefined ? 'no longer' : 'now'} has consumers on ${router}`);
    this.out.addressChanged(address, entry.routers, entry.treatment);
    if (entry.routers.size === 0) this.addressRouters.delete(address);
  }

  // ---- sending ----------------------------------------------------------------------------------

  private sendHellos(): void {
    this.lastHello = this.now();
    const horizon = this.now() - this.timers.helloMaxAgeMs;
    const seen = [...this.links].filter(([, l]) => l.lastHello !== undefined && l.lastHello >= horizon).map(([id]) => id);
    const bytes = encodeRoutingMessage({ op: 'HELLO', id: this.id, instance: this.instance, seen }, Addresses.hello);
    for (const id of this.links.keys()) this.out.sendToNeighbor(id, bytes);
  }

  private sendRa(): void {
    this.raDue = false;
    this.lastRa = this.now();
    const ra: RoutingMessage = { op: 'RA', id: this.id, instance: this.instance, lsSeq: this.lsSeq, mobileSeq: this.mobileSeq };
    this.out.send(encodeRoutingMessage(ra, Addresses.raFlood));
  }

  private sendTo(id: string, msg: RoutingMessage): void {
    this.out.send(encodeRoutingMessage(msg, Addresses.router(id)));
  }

  private sendMobileTo(id: string, msg: RoutingMessage): void {
    this.out.send(encodeRoutingMessage(msg, Addresses.mobile(id)));
  }

  // ---- state for management --------------------------------------------------------------------

  /** This router's own advertised peers. */
  ownLinkState(): string[] {
    return [...this.ownPeers.keys()];
  }

  nodes(): NodeInfo[] {
    const ids = new Set([...this.paths.cost.keys(), ...this.lsdb.keys()]);
    return [...ids].sort().map((id) => ({
      id,
      instance: this.lsdb.get(id)?.instance,
      lsSeq: this.lsdb.get(id)?.lsSeq,
      mobileSeq: this.remoteMobile.get(id)?.seq,
      cost: this.paths.cost.get(id),
      nextHop: this.paths.nextHop.get(id),
      peers: [...(this.lsdb.get(id)?.peers.keys() ?? [])],
      validOrigins: [...(this.paths.validOrigins.get(id) ?? [])],
    }));
  }
}
