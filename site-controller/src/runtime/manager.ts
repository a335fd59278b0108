/**
 * Runs the whole controller, as controller-runtime's manager does: the informers (on every replica,
 * so a standby's caches are warm when it takes over), leader election, and the controllers, which
 * run only on the leader and only once the caches have synced.
 *
 *   start ─▶ informers ─▶ synced ─┐
 *        └─▶ leader election ─────┴─▶ both: controllers start (a full pass over every primary key)
 *            lost the Lease ─────────▶ controllers stop; the replica campaigns again
 *
 * Losing the Lease stops the controllers rather than the process: reconciles are level-based, so the
 * next term starts from a full pass, and the pod's restart count stays a signal of real failures.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { systemClock, type Clock, type Timer } from './clock.js';
import type { CacheName, ControllerContext, ControllerSettings, ReconcilerRegistration, RuntimeSettings } from './context.js';
import { Controller, type ControllerOptions } from './controller.js';
import { ControllerMetrics } from './controller-metrics.js';
import { startHealthServer, type HealthServer } from './health-server.js';
import { Informers } from './informers.js';
import type { CacheSelection } from './kinds.js';
import { LeaderElector, type LeaderElectionOptions } from './leader-election.js';
import { Metrics } from './metrics.js';

export interface ManagerOptions<S extends RuntimeSettings = ControllerSettings> {
  kubeConfig: KubeConfig;
  settings: NoInfer<S>;
  log: (line: string) => void;
  registrations: (context: ControllerContext<S>) => ReconcilerRegistration[];
  /** Leader election identity (POD_NAME). */
  identity: string;
  /** Port of /healthz, /readyz and /metrics (0: any free port); undefined: no HTTP server. */
  healthPort?: number;
  healthHost?: string;
  /** False: run the controllers without a Lease (one replica only). */
  leaderElection?: boolean;
  lease?: Pick<LeaderElectionOptions, 'name' | 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'>;
  controller?: ControllerOptions;
  /** The kinds this process caches and their label selectors (default: the site-controller's). */
  selection?: CacheSelection;
  /** Of those, only these kinds (default all of them). */
  caches?: readonly CacheName[];
  /** How long stop() waits for reconciles in progress (default 1 s). */
  stopGraceMs?: number;
  clock?: Clock;
}

const SYNC_POLL_MS = 100;

export class Manager<S extends RuntimeSettings = ControllerSettings> {
  readonly informers: Informers;
  readonly metrics = new Metrics();
  readonly controllerMetrics = new ControllerMetrics(this.metrics);
  readonly context: ControllerContext<S>;
  private readonly registrations: ReconcilerRegistration[];
  private readonly elector: LeaderElector | undefined;
  private readonly clock: Clock;
  private controllers: Controller[] = [];
  private leading = false;
  private synced = false;
  private syncTimer: Timer | undefined;
  private health: HealthServer | undefined;
  private stopping: Promise<void> | undefined;
  /** Resolves once the controllers of the last term have returned from their reconciles. */
  private drained: Promise<void> = Promise.resolve();

  constructor(private readonly options: ManagerOptions<S>) {
    this.clock = options.clock ?? systemClock;
    const { kubeConfig, settings, log } = options;
    this.informers = new Informers(kubeConfig, settings.watchNamespaces, log, {
      clock: this.clock,
      ...(options.selection ? { selection: options.selection } : {}),
      ...(options.caches ? { only: options.caches } : {}),
    });
    this.context = { kubeConfig, caches: this.informers.caches, settings, log };
    this.registrations = options.registrations(this.context);
    for (const r of this.registrations) this.controllerMetrics.register(r.reconciler.kind);
    this.metrics.gauge('skiff_leader', '1 while this replica holds the Lease and runs the controllers.', () => [[{}, this.controllers.length > 0 ? 1 : 0]]);
    if (options.leaderElection !== false) {
      this.elector = new LeaderElector(kubeConfig, {
        ...options.lease,
        namespace: settings.namespace,
        identity: options.identity,
        clock: this.clock,
        log,
        onStartedLeading: () => this.setLeading(true),
        onStoppedLeading: () => this.setLeading(false),
      });
    }
  }

  /** The port /healthz, /readyz and /metrics listen on (0 when there is no server). */
  get healthPort(): number {
    return this.health?.port ?? 0;
  }

  get running(): boolean {
    return this.controllers.length > 0;
  }

  async start(): Promise<void> {
    const { settings, log } = this.options;
    if (this.options.healthPort !== undefined) {
      this.health = await startHealthServer({ notReadyReason: () => this.notReadyReason(), metrics: () => this.metrics.render() }, this.options.healthPort, this.options.healthHost);
    }
    const where = settings.watchNamespaces ? `namespaces ${settings.watchNamespaces.join(', ')}` : 'all namespaces';
    log(`starting ${settings.controllerName} ${settings.version}: watching ${where}, health on port ${this.healthPort}`);
    this.informers.start();
    this.waitForSync();
    if (this.elector) this.elector.start();
    else this.setLeading(true);
  }

  /** Stops everything: the Lease is released, reconciles in progress get `stopGraceMs` to return. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.syncTimer?.cancel();
      await this.elector?.stop();
      this.leading = false;
      await this.stopControllers();
      await this.informers.stop();
      await this.health?.close();
    })();
    return this.stopping;
  }

  notReadyReason(): string | undefined {
    return this.informers.notReadyReason();
  }

  private waitForSync(): void {
    if (this.informers.synced()) {
      this.synced = true;
      this.options.log('caches synced');
      this.startControllers();
      return;
    }
    this.syncTimer = this.clock.after(SYNC_POLL_MS, () => this.waitForSync());
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    if (leading) this.startControllers();
    else void this.stopControllers();
  }

  /** Starts the controllers when leading and synced, after the last term's controllers have drained. */
  private startControllers(): void {
    void this.drained.then(() => {
      if (!this.leading || !this.synced || this.controllers.length > 0 || this.stopping) return;
      this.controllers = this.registrations.map(
        (r) => new Controller(r, this.informers, this.controllerMetrics, this.options.log, { clock: this.clock, ...this.options.controller }),
      );
      for (const c of this.controllers) c.start();
      this.options.log(`controllers started: ${this.controllers.map((c) => c.kind).join(', ') || 'none'}`);
    });
  }

  private stopControllers(): Promise<void> {
    const stopping = this.controllers.splice(0);
    if (stopping.length === 0) return this.drained;
    const grace = new Promise<void>((resolve) => this.clock.after(this.options.stopGraceMs ?? 1000, resolve));
    this.drained = Promise.race([Promise.all(stopping.map((c) => c.stop())), grace]).then(() => this.options.log('controllers stopped'));
    return this.drained;
  }
}
