/**
 * Runs one reconciler: informer events → keys → work queue → workers → reconcile.
 *
 *   primary cache event ──key──┐
 *   watched cache event ─map()─┼─▶ WorkQueue ──get()──▶ reconcile(key) ──▶ done(key)
 *   resync timer (all keys) ───┘        ▲                  │ throw: addRateLimited
 *                                       └──────────────────┘ requeueAfterMs: addAfter
 *
 * A reconcile that throws never takes the process down; a TerminalError is logged and counted but
 * not retried until the object changes (or the periodic resync comes round).
 */
import { describeError, isConflict } from './api-errors.js';
import { systemClock, type Clock, type Timer } from './clock.js';
import type { CachedObject, ReconcilerRegistration } from './context.js';
import { ReconcileResult, type ControllerMetrics } from './controller-metrics.js';
import type { Informers } from './informers.js';
import { keyOf, parseKey, TerminalError } from './reconciler.js';
import type { RateLimiter } from './rate-limiter.js';
import { WorkQueue } from './work-queue.js';

/** What a controller needs of the informers: the caches and their events. */
export type EventSource = Pick<Informers, 'caches' | 'on'>;

export interface ControllerOptions {
  workers?: number;
  /** Every primary object is reconciled again this often (default 5 min). */
  resyncMs?: number;
  clock?: Clock;
  rateLimiter?: RateLimiter;
}

export class Controller {
  readonly queue: WorkQueue;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly workers: Promise<void>[] = [];
  private readonly clock: Clock;
  private resyncTimer: Timer | undefined;

  constructor(
    private readonly registration: ReconcilerRegistration,
    private readonly informers: EventSource,
    private readonly metrics: ControllerMetrics,
    private readonly log: (line: string) => void,
    private readonly options: ControllerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.queue = new WorkQueue({ clock: this.clock, ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}) });
  }

  get kind(): string {
    return this.registration.reconciler.kind;
  }

  /** Subscribes to the caches, queues every existing primary object and starts the workers. */
  start(): void {
    const { primary, watches, sources = [] } = this.registration;
    this.unsubscribe.push(this.informers.on(primary, (object) => this.enqueueObject(object)));
    for (const watch of watches) {
      this.unsubscribe.push(
        this.informers.on(watch.cache, (object) => {
          for (const key of watch.map(object)) this.queue.add(keyOf(key.namespace, key.name));
        }),
      );
    }
    for (const source of sources) this.unsubscribe.push(source.subscribe((key) => this.queue.add(keyOf(key.namespace, key.name))));
    this.metrics.depthOf(this.kind, () => this.queue.len());
    this.resync();
    for (let i = 0; i < (this.options.workers ?? 1); i++) this.workers.push(this.work());
  }

  /** Stops taking keys; resolves when the reconciles in progress have returned. */
  async stop(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    this.resyncTimer?.cancel();
    this.queue.shutDown();
    this.metrics.depthOf(this.kind, undefined);
    await Promise.all(this.workers);
  }

  private resync(): void {
    for (const object of this.informers.caches[this.registration.primary].list()) this.enqueueObject(object as CachedObject);
    this.resyncTimer = this.clock.after(this.options.resyncMs ?? 300_000, () => this.resync());
  }

  private enqueueObject(object: CachedObject): void {
    const { primaryKeys } = this.registration;
    if (primaryKeys !== undefined) {
      for (const key of primaryKeys(object)) this.queue.add(keyOf(key.namespace, key.name));
      return;
    }
    const { namespace, name } = object.metadata ?? {};
    if (name) this.queue.add(keyOf(namespace ?? '', name));
  }

  private async work(): Promise<void> {
    while (await this.processNextItem());
  }

  /** One key: false once the queue is shut down. */
  async processNextItem(): Promise<boolean> {
    const key = await this.queue.get();
    if (key === undefined) return false;
    try {
      const result = await this.registration.reconciler.reconcile(parseKey(key));
      this.queue.forget(key);
      if (result?.requeueAfterMs !== undefined && result.requeueAfterMs > 0) {
        this.queue.addAfter(key, result.requeueAfterMs);
        this.metrics.reconciled(this.kind, ReconcileResult.requeue);
      } else {
        this.metrics.reconciled(this.kind, ReconcileResult.success);
      }
    } catch (error) {
      this.metrics.reconciled(this.kind, ReconcileResult.error);
      this.failed(key, error);
    } finally {
      this.queue.done(key);
    }
    return true;
  }

  private failed(key: string, error: unknown): void {
    if (error instanceof TerminalError) {
      this.queue.forget(key);
      this.log(`${this.kind} ${key}: reconcile failed, not retrying until it changes: ${error.message}`);
      return;
    }
    if (this.queue.shuttingDown) return;
    const delay = this.queue.addRateLimited(key);
    const what = isConflict(error) ? 'conflict (changed meanwhile)' : `failed: ${describeError(error)}`;
    this.log(`${this.kind} ${key}: reconcile ${what}; retry ${this.queue.retries(key)} in ${delay} ms`);
  }
}
