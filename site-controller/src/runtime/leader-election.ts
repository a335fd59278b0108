/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: every
 * retry period a candidate reads the Lease and takes it when it is free or its holder has not renewed
 * for a lease duration, and the leader renews it. A write carries the resourceVersion read, so of two
 * candidates one wins and the other gets 409. Expiry is judged by when this process last saw the
 * Lease change, not by the holder's timestamps, so clock skew between nodes does not matter.
 *
 *   candidate ──acquired──▶ leader ──renewal failing for renewDeadline, or Lease taken──▶ candidate
 */
import { hostname } from 'node:os';
import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { ControllerLease } from '../../../common/src/kube-api/names.js';
import { describeError, isConflict, isNotFound } from './api-errors.js';
import { systemClock, type Clock, type Timer } from './clock.js';

export interface LeaderElectionOptions {
  namespace: string;
  identity: string;
  name?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  clock?: Clock;
  log: (line: string) => void;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

/** POD_NAME when run in a pod; else host name and process id, unique enough on one machine. */
export function defaultIdentity(env: Readonly<Record<string, string | undefined>>): string {
  return env.POD_NAME || `${hostname()}_${process.pid}`;
}

export class LeaderElector {
  private readonly api: CoordinationV1Api;
  private readonly clock: Clock;
  private readonly name: string;
  private readonly leaseDurationMs: number;
  private leading = false;
  private stopped = true;
  private timer: Timer | undefined;
  private tick: Promise<void> = Promise.resolve();
  private lastRenew = 0;
  private observed: { resourceVersion: string; at: number; holder: string } | undefined;
  private lastError: string | undefined;

  constructor(
    kc: KubeConfig,
    private readonly options: LeaderElectionOptions,
  ) {
    this.api = kc.makeApiClient(CoordinationV1Api);
    this.clock = options.clock ?? systemClock;
    this.name = options.name ?? ControllerLease;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops campaigning; a leader gives the Lease up so another replica takes over at once. */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.tick;
    if (!this.leading) return;
    if (release) await this.release();
    this.lose('stopping');
  }

  private schedule(ms: number): void {
    this.timer = this.clock.after(ms, () => {
      this.tick = this.round().finally(() => {
        if (!this.stopped) this.schedule(this.options.retryPeriodMs ?? 2000);
      });
    });
  }

  private async round(): Promise<void> {
    let held: boolean;
    try {
      held = await this.withDeadline(this.tryAcquireOrRenew());
      this.lastError = undefined;
    } catch (error) {
      held = false;
      const text = describeError(error);
      if (text !== this.lastError) this.options.log(`leader election: Lease ${this.where}: ${text}`);
      this.lastError = text;
    }
    if (this.stopped) return;
    if (held) {
      this.lastRenew = this.clock.now();
      if (!this.leading) {
        this.leading = true;
        this.options.log(`leader election: candidate -> leader (Lease ${this.where}, identity ${this.options.identity})`);
        this.options.onStartedLeading();
      }
    } else if (this.leading) {
      const holder = this.observed?.holder;
      if (holder && holder !== this.options.identity) this.lose(`Lease taken by ${holder}`);
      else if (this.clock.now() - this.lastRenew > (this.options.renewDeadlineMs ?? 10_000)) this.lose('could not renew the Lease in time');
    }
  }

  /** An API call that hangs must not keep a leader believing it still holds the Lease. */
  private withDeadline<T>(work: Promise<T>): Promise<T> {
    const ms = this.options.renewDeadlineMs ?? 10_000;
    let timer: Timer | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = this.clock.after(ms, () => reject(new Error(`no answer from the apiserver within ${ms} ms`)));
    });
    return Promise.race([work, late]).finally(() => timer?.cancel());
  }

  private lose(reason: string): void {
    this.leading = false;
    this.options.log(`leader election: leader -> candidate (${reason})`);
    this.options.onStoppedLeading();
  }

  private get where(): string {
    return `${this.options.namespace}/${this.name}`;
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const me = this.options.identity;
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ name: this.name, namespace: this.options.namespace });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      return this.write(undefined, { holderIdentity: me, acquireTime: new V1MicroTime(now), leaseTransitions: 0 });
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const resourceVersion = lease.metadata?.resourceVersion ?? '';
    if (this.observed?.resourceVersion !== resourceVersion) this.observed = { resourceVersion, at: now, holder };
    const expired = this.observed.at + (spec.leaseDurationSeconds ?? 15) * 1000 <= now;
    if (holder !== '' && holder !== me && !expired) return false;
    if (holder === me) return this.write(lease, { ...spec, holderIdentity: me });
    return this.write(lease, { holderIdentity: me, acquireTime: new V1MicroTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 });
  }

  /** Creates (no `current`) or replaces the Lease with a fresh renewTime; false when another write won (409). */
  private async write(current: V1Lease | undefined, spec: NonNullable<V1Lease['spec']>): Promise<boolean> {
    const now = this.clock.now();
    const body: V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: current?.metadata ?? { name: this.name, namespace: this.options.namespace },
      spec: { ...spec, leaseDurationSeconds: Math.round(this.leaseDurationMs / 1000), renewTime: new V1MicroTime(now) },
    };
    try {
      const written = current
        ? await this.api.replaceNamespacedLease({ name: this.name, namespace: this.options.namespace, body })
        : await this.api.createNamespacedLease({ namespace: this.options.namespace, body });
      this.observed = { resourceVersion: written.metadata?.resourceVersion ?? '', at: now, holder: this.options.identity };
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  /** Leaves the Lease free (no holder, 1 s duration), as client-go's ReleaseOnCancel does. */
  private async release(): Promise<void> {
    try {
      const lease = await this.api.readNamespacedLease({ name: this.name, namespace: this.options.namespace });
      if (lease.spec?.holderIdentity !== this.options.identity) return;
      const now = new V1MicroTime(this.clock.now());
      lease.spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now };
      await this.api.replaceNamespacedLease({ name: this.name, namespace: this.options.namespace, body: lease });
    } catch (error) {
      this.options.log(`leader election: could not release Lease ${this.where}: ${describeError(error)}`);
    }
  }
}
