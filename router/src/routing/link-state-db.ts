/**
 * The link-state database (§c.3): our own link state (two-way neighbors and their costs, with an
 * ls_seq that grows on every change) and the latest state of every other router, pulled with
 * LSR/LSU when its RA announces a sequence we do not have. States of routers we stop hearing
 * from (no RA or LSU within remoteLsMaxAge) are forgotten.
 */
import { logger } from '../log.js';
import type { LsuBody, RaBody } from './messages.js';
import type { LinkStateCollection } from './paths.js';

const log = logger('ROUTER_LS');

export interface RemoteLinkState {
  instance: number;
  lsSeq: number;
  peers: ReadonlyMap<string, number>;
  /** When this router was last heard of (RA or LSU): the base of remoteLsMaxAge. */
  lastSeen: number;
}

export class LinkStateDatabase {
  private ownPeers: ReadonlyMap<string, number> = new Map();
  private ownSeq = 0;
  private readonly remote = new Map<string, RemoteLinkState>();

  constructor(
    private readonly selfId: string,
    private readonly remoteLsMaxAge: number,
  ) {}

  get lsSeq(): number {
    return this.ownSeq;
  }

  get peers(): ReadonlyMap<string, number> {
    return this.ownPeers;
  }

  /** Sets our own peers; true (and a new ls_seq) when they differ from before. */
  setOwnPeers(peers: ReadonlyMap<string, number>): boolean {
    const same = peers.size === this.ownPeers.size && [...peers].every(([id, cost]) => this.ownPeers.get(id) === cost);
    if (same) return false;
    this.ownPeers = new Map([...peers].sort(([a], [b]) => (a < b ? -1 : 1)));
    this.ownSeq++;
    log.info(`own link state seq ${this.ownSeq}: ${describe(this.ownPeers)}`);
    return true;
  }

  /** An RA arrived: true when it shows state we lack (new router, restart, newer ls_seq) → LSR. */
  advertised(ra: RaBody, now: number): boolean {
    const stored = this.remote.get(ra.id);
    if (stored === undefined) return true;
    stored.lastSeen = now;
    return stored.instance !== ra.instance || ra.lsSeq > stored.lsSeq;
  }

  /** An LSU arrived: true when it replaced what we had (paths must be recomputed). */
  update(lsu: LsuBody, now: number): boolean {
    const stored = this.remote.get(lsu.id);
    if (stored !== undefined && stored.instance === lsu.instance && lsu.lsSeq <= stored.lsSeq) {
      stored.lastSeen = now;
      return false;
    }
    this.remote.set(lsu.id, { instance: lsu.instance, lsSeq: lsu.lsSeq, peers: lsu.peers, lastSeen: now });
    log.info(`link state of ${lsu.id} (instance ${lsu.instance}, seq ${lsu.lsSeq}): ${describe(lsu.peers)}`);
    return true;
  }

  /** Forgets a router's state (it restarted: its old state says nothing of the new one). */
  forget(id: string): boolean {
    return this.remote.delete(id);
  }

  /** Forgets states not refreshed within remoteLsMaxAge; the ids dropped. */
  expire(now: number): string[] {
    const dropped: string[] = [];
    for (const [id, state] of this.remote) {
      if (now - state.lastSeen <= this.remoteLsMaxAge) continue;
      this.remote.delete(id);
      dropped.push(id);
      log.info(`link state of ${id}: expired after ${this.remoteLsMaxAge} ms without news`);
    }
    return dropped;
  }

  get(id: string): RemoteLinkState | undefined {
    return this.remote.get(id);
  }

  /** Our state and every stored one, for path computation. */
  collection(): LinkStateCollection {
    const all = new Map<string, ReadonlyMap<string, number>>([[this.selfId, this.ownPeers]]);
    for (const [id, state] of this.remote) all.set(id, state.peers);
    return all;
  }
}

function describe(peers: ReadonlyMap<string, number>): string {
  return peers.size === 0 ? '(no peers)' : [...peers].map(([id, cost]) => `${id}:${cost}`).join(' ');
}
