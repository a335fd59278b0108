/**
 * Mobile address synchronisation (§c.2 MAU/MAR, §c.4), as skupper-router's mobile-sync module
 * does it. Locally: addresses that gained their first / lost their last local consumer collect
 * until the next flush, which bumps mobile_seq once and yields one differential MAU. Remotely:
 * per router, the addresses it announced and the mobile_seq they stand for; a gap in the
 * sequence or an RA with a newer one asks for the whole list again (MAR → absolute MAU).
 * The result is, per address, the set of routers with consumers for it.
 */
import { logger } from '../log.js';
import type { MauBody, RaBody } from './messages.js';
import { addressOfHashKey, hashKeyOf, type MobileEntry } from './mobile-entries.js';

const log = logger('ROUTER_MA');

export type AddressListener = (address: string, routers: ReadonlySet<string>, treatment: number) => void;

interface RemoteMobile {
  instance: number | undefined;
  seq: number;
  /** Address → treatment, as that router announced it. */
  addresses: Map<string, number>;
}

export class MobileSync {
  private readonly local = new Map<string, number>();
  private seq = 0;
  private readonly pendingAdd = new Map<string, number>();
  private readonly pendingDel = new Set<string>();
  private readonly remote = new Map<string, RemoteMobile>();
  /** Address → router → treatment. */
  private readonly index = new Map<string, Map<string, number>>();

  constructor(
    private readonly selfId: string,
    private readonly changed: AddressListener,
  ) {}

  get mobileSeq(): number {
    return this.seq;
  }

  localAddresses(): ReadonlyMap<string, number> {
    return this.local;
  }

  add(address: string, treatment: number): void {
    if (this.local.get(address) === treatment) return;
    this.local.set(address, treatment);
    this.pendingDel.delete(address);
    this.pendingAdd.set(address, treatment);
  }

  remove(address: string): void {
    if (!this.local.delete(address)) return;
    this.pendingAdd.delete(address);
    this.pendingDel.add(address);
  }

  get hasPending(): boolean {
    return this.pendingAdd.size + this.pendingDel.size > 0;
  }

  /** The differential MAU of everything changed since the last one (mobile_seq + 1). */
  flush(): MauBody {
    this.seq++;
    const add = [...this.pendingAdd].map(([address, treatment]) => entry(address, treatment));
    const del = [...this.pendingDel].map(hashKeyOf);
    this.pendingAdd.clear();
    this.pendingDel.clear();
    log.debug(`MAU seq ${this.seq}: add [${add.map((e) => e.key).join(' ')}] del [${del.join(' ')}]`);
    return { opcode: 'MAU', id: this.selfId, mobileSeq: this.seq, add, del };
  }

  /** The absolute MAU a MAR asks for. */
  absolute(): MauBody {
    return { opcode: 'MAU', id: this.selfId, mobileSeq: this.seq, exist: [...this.local].map(([a, t]) => entry(a, t)) };
  }

  /** An RA arrived: the have_seq of the MAR to send when it announces addresses we lack. */
  advertised(ra: RaBody): number | undefined {
    const state = this.remote.get(ra.id);
    if (state !== undefined && state.instance !== undefined && state.instance !== ra.instance) this.forget(ra.id);
    const current = this.stateOf(ra.id);
    current.instance = ra.instance;
    return ra.mobileSeq > current.seq ? current.seq : undefined;
  }

  /** A MAU arrived: applies it; returns the have_seq of a MAR when a differential one skipped. */
  received(mau: MauBody): number | undefined {
    const state = this.stateOf(mau.id);
    if ('exist' in mau) {
      const next = new Map<string, number>();
      for (const e of mau.exist) {
        const address = addressOfHashKey(e.key);
        if (address !== undefined) next.set(address, e.treatment);
      }
      const previous = state.addresses;
      state.addresses = next;
      state.seq = mau.mobileSeq;
      for (const address of new Set([...previous.keys(), ...next.keys()])) this.reindex(address, mau.id, next.get(address));
      return undefined;
    }
    if (mau.mobileSeq <= state.seq) return undefined;
    if (mau.mobileSeq > state.seq + 1) {
      log.info(`MAU from ${mau.id} skipped from seq ${state.seq} to ${mau.mobileSeq}: asking for the whole list`);
      return state.seq;
    }
    state.seq = mau.mobileSeq;
    for (const e of mau.add) {
      const address = addressOfHashKey(e.key);
      if (address === undefined) continue;
      state.addresses.set(address, e.treatment);
      this.reindex(address, mau.id, e.treatment);
    }
    for (const key of mau.del) {
      const address = addressOfHashKey(key);
      if (address === undefined || !state.addresses.delete(address)) continue;
      this.reindex(address, mau.id, undefined);
    }
    return undefined;
  }

  /** Unmaps everything a router announced (it is gone, unreachable, or restarted). */
  forget(id: string): void {
    const state = this.remote.get(id);
    if (state === undefined) return;
    this.remote.delete(id);
    for (const address of state.addresses.keys()) this.reindex(address, id, undefined);
  }

  /** The mobile_seq we hold of a router, for management. */
  seqOf(id: string): number | undefined {
    return this.remote.get(id)?.seq;
  }

  /** Every address with remote consumers → routers and treatment. */
  remoteAddresses(): ReadonlyMap<string, ReadonlyMap<string, number>> {
    return this.index;
  }

  private stateOf(id: string): RemoteMobile {
    let state = this.remote.get(id);
    if (state === undefined) {
      state = { instance: undefined, seq: 0, addresses: new Map() };
      this.remote.set(id, state);
    }
    return state;
  }

  private reindex(address: string, router: string, treatment: number | undefined): void {
    let routers = this.index.get(address);
    const before = routers?.get(router);
    if (treatment === undefined) {
      if (routers === undefined || !routers.delete(router)) return;
      if (routers.size === 0) this.index.delete(address);
    } else {
      if (routers?.get(router) === treatment) return;
      routers ??= new Map();
      routers.set(router, treatment);
      this.index.set(address, routers);
    }
    log.info(`address ${address}: consumers on ${router} ${treatment === undefined ? 'gone' : 'present'}`);
    // The treatment the latest announcer gave wins; all routers normally agree on it.
    const shown = treatment ?? [...routers.values()].at(-1) ?? before ?? 0;
    this.changed(address, new Set([...routers.keys()].sort()), shown);
  }
}

function entry(address: string, treatment: number): MobileEntry {
  return { key: hashKeyOf(address), treatment, inLinks: 0 };
}
