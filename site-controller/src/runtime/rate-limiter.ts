/**
 * How long a failed key waits before its next try, as client-go's default controller rate limiter:
 * the larger of a per-key exponential backoff and an overall token bucket, so one bad object backs
 * off on its own while a storm of failures cannot exceed the bucket's rate.
 */
import type { Clock } from './clock.js';

export interface RateLimiter {
  /** Delay before `key` may run again; counts one more failure of it. */
  when(key: string): number;
  /** The key succeeded: its backoff starts over. */
  forget(key: string): void;
  /** Failures of `key` since it was last forgotten. */
  retries(key: string): number;
}

/** base·2ⁿ ms for the n-th consecutive failure of a key, capped at `maxMs`. */
export class ExponentialBackoff implements RateLimiter {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly baseMs = 100,
    private readonly maxMs = 300_000,
  ) {}

  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.baseMs * 2 ** n, this.maxMs);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

/**
 * `qps` tokens a second, at most `burst` saved. Like golang.org/x/time/rate's Reserve, a request
 * always takes a token and waits for it when none is left, so the bucket may go below zero.
 */
export class TokenBucket implements RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly qps = 10,
    private readonly burst = 100,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  when(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  forget(): void {}

  retries(): number {
    return 0;
  }
}

export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(key: string): number {
    return Math.max(...this.limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.limiters) l.forget(key);
  }

  retries(key: string): number {
    return Math.max(...this.limiters.map((l) => l.retries(key)));
  }
}

/** 100 ms doubling to 5 min per key, and 10 retries a second (burst 100) overall. */
export function defaultRateLimiter(clock: Clock): RateLimiter {
  return new MaxOfRateLimiter(new ExponentialBackoff(100, 300_000), new TokenBucket(clock, 10, 100));
}
