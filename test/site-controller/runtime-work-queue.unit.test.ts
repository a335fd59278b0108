import { describe, expect, it } from 'vitest';
import { ExponentialBackoff, TokenBucket, defaultRateLimiter } from '../../site-controller/src/runtime/rate-limiter.js';
import { WorkQueue } from '../../site-controller/src/runtime/work-queue.js';
import { FakeClock } from './runtime-fake-clock.js';

function setup(): { clock: FakeClock; queue: WorkQueue } {
  const clock = new FakeClock();
  return { clock, queue: new WorkQueue({ clock }) };
}

/** The key get() would hand out now, without waiting (undefined when none is queued). */
async function next(queue: WorkQueue): Promise<string | undefined> {
  return queue.len() > 0 ? queue.get() : undefined;
}

describe('work queue - stingy keys', () => {
  it('collapses adds of a key that is waiting', async () => {
    const { queue } = setup();
    queue.add('ns/a');
    queue.add('ns/b');
    queue.add('ns/a');
    expect(queue.len()).toBe(2);
    expect(await queue.get()).toBe('ns/a');
    expect(await queue.get()).toBe('ns/b');
    expect(queue.len()).toBe(0);
  });

  it('never hands a key to two workers; an add while processing runs it once more after done', async () => {
    const { queue } = setup();
    queue.add('ns/a');
    const key = await queue.get();
    queue.add('ns/a');
    queue.add('ns/a');
    expect(queue.len()).toBe(0);
    expect(await next(queue)).toBeUndefined();
    queue.done(key as string);
    expect(queue.len()).toBe(1);
    expect(await queue.get()).toBe('ns/a');
    queue.done('ns/a');
    expect(queue.len()).toBe(0);
  });

  it('wakes a waiting get() on add, and hands each key to one waiter', async () => {
    const { queue } = setup();
    const first = queue.get();
    const second = queue.get();
    queue.add('ns/a');
    queue.add('ns/b');
    expect(await first).toBe('ns/a');
    expect(await second).toBe('ns/b');
  });

  it('addAfter queues the key when its time comes; the earlier of two times wins', async () => {
    const { clock, queue } = setup();
    queue.addAfter('ns/a', 1000);
    queue.addAfter('ns/a', 300);
    queue.addAfter('ns/a', 5000);
    clock.advance(299);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(queue.len()).toBe(1);
    expect(await queue.get()).toBe('ns/a');
    queue.done('ns/a');
    clock.advance(10_000);
    expect(queue.len()).toBe(0);
  });

  it('addRateLimited backs a key off 100 ms doubling, capped at 5 min; forget starts over', () => {
    const { clock, queue } = setup();
    const delays = Array.from({ length: 14 }, () => {
      const d = queue.addRateLimited('ns/a');
      clock.advance(d);
      return d;
    });
    expect(delays.slice(0, 5)).toEqual([100, 200, 400, 800, 1600]);
    expect(delays.at(-1)).toBe(300_000);
    expect(queue.retries('ns/a')).toBe(14);
    queue.forget('ns/a');
    expect(queue.retries('ns/a')).toBe(0);
    expect(queue.addRateLimited('ns/a')).toBe(100);
  });

  it('shutDown wakes waiting workers with undefined and ignores later adds', async () => {
    const { clock, queue } = setup();
    const waiting = queue.get();
    queue.addAfter('ns/b', 100);
    queue.shutDown();
    expect(await waiting).toBeUndefined();
    queue.add('ns/a');
    clock.advance(1000);
    expect(queue.len()).toBe(0);
    expect(clock.pending()).toBe(0);
    expect(await queue.get()).toBeUndefined();
  });
});

describe('rate limiter - backoff and bucket', () => {
  it('keeps one backoff per key', () => {
    const backoff = new ExponentialBackoff(100, 1000);
    expect([backoff.when('a'), backoff.when('a'), backoff.when('b'), backoff.when('a')]).toEqual([100, 200, 100, 400]);
    expect([backoff.when('a'), backoff.when('a')]).toEqual([800, 1000]);
  });

  it('lets a burst through, then spaces requests at the bucket rate, refilling with time', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(clock, 10, 100);
    const burst = Array.from({ length: 100 }, () => bucket.when());
    expect(burst.every((d) => d === 0)).toBe(true);
    expect([bucket.when(), bucket.when(), bucket.when()]).toEqual([100, 200, 300]);
    clock.advance(10_300);
    expect(bucket.when()).toBe(0);
  });

  it('default: the larger of the key backoff and the bucket', () => {
    const clock = new FakeClock();
    const limiter = defaultRateLimiter(clock);
    for (let i = 0; i < 100; i++) expect(limiter.when(`k${i}`)).toBe(100);
    expect(limiter.when('other')).toBe(100);
    expect(limiter.when('more')).toBe(200);
  });
});
