/**
 * client-go's rate-limited work queue, stingy about keys:
 *
 *   add ──▶ dirty? ──yes──▶ (collapsed)
 *             │no
 *             ▼
 *      processing? ──yes──▶ dirty only; queued again by done()
 *             │no
 *             ▼
 *          queue ──get()──▶ processing ──done()──▶ (dirty? queue again)
 *
 * A key is never handed to two workers at once, adds while it waits collapse into one, and an add
 * while it is processed makes it run once more afterwards. addAfter and addRateLimited park a key
 * on a timer first; a key parked twice keeps the earlier time.
 */
import { systemClock, type Clock, type Timer } from './clock.js';
import { defaultRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions {
  clock?: Clock;
  rateLimiter?: RateLimiter;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiting = new Map<string, { at: number; timer: Timer }>();
  private readonly getters: ((key: string | undefined) => void)[] = [];
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter;
  private shutdown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.rateLimiter = options.rateLimiter ?? defaultRateLimiter(this.clock);
  }

  add(key: string): void {
    if (this.shutdown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.handOut();
  }

  /** Adds `key` after `ms`; an earlier pending time for it wins. */
  addAfter(key: string, ms: number): void {
    if (this.shutdown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const parked = this.waiting.get(key);
    if (parked && parked.at <= at) return;
    parked?.timer.cancel();
    const timer = this.clock.after(ms, () => {
      this.waiting.delete(key);
      this.add(key);
    });
    this.waiting.set(key, { at, timer });
  }

  /** Adds `key` after its backoff: one more failure of it. */
  addRateLimited(key: string): number {
    const delay = this.rateLimiter.when(key);
    this.addAfter(key, delay);
    return delay;
  }

  /** The key succeeded: its backoff starts over. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  /** Consecutive failures of `key` since it was last forgotten. */
  retries(key: string): number {
    return this.rateLimiter.retries(key);
  }

  /** The next key to process, once one is queued; undefined once the queue is shut down. */
  get(): Promise<string | undefined> {
    if (this.shutdown) return Promise.resolve(undefined);
    if (this.queue.length > 0) return Promise.resolve(this.take());
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** The worker is finished with `key`; if it was added meanwhile, it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shutdown) {
      this.queue.push(key);
      this.handOut();
    }
  }

  /** Keys queued and not being processed (the depth metric). */
  len(): number {
    return this.queue.length;
  }

  get shuttingDown(): boolean {
    return this.shutdown;
  }

  /** Wakes every waiting get() with undefined, drops parked keys; later adds are ignored. */
  shutDown(): void {
    this.shutdown = true;
    for (const { timer } of this.waiting.values()) timer.cancel();
    this.waiting.clear();
    this.queue.length = 0;
    this.dirty.clear();
    for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  private take(): string {
    const key = this.queue.shift() as string;
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private handOut(): void {
    while (this.getters.length > 0 && this.queue.length > 0) {
      const resolve = this.getters.shift() as (key: string | undefined) => void;
      resolve(this.take());
    }
  }
}
