/**
 * One timer for many: every subscriber is called each period from a single interval, which runs
 * only while there are subscribers and never keeps the process alive. Connections share one for
 * their idle timeouts and heartbeats instead of a timer each; the clock is injected so tests can
 * drive time themselves (`tick()`).
 */

/** Milliseconds, as `Date.now()` gives them. */
export type Clock = () => number;

export class Ticker {
  private readonly subscribers = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined = undefined;

  constructor(
    readonly periodMs: number,
    readonly now: Clock = Date.now,
  ) {}

  add(subscriber: () => void): void {
    this.subscribers.add(subscriber);
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), this.periodMs);
    this.timer.unref();
  }

  delete(subscriber: () => void): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size > 0 || this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Calls every subscriber once (the interval does this each period). */
  tick(): void {
    for (const subscriber of this.subscribers) subscriber();
  }
}

/** The ticker AMQP connections share: once a second, on the wall clock. */
export const CONNECTION_TICKER = new Ticker(1000);
