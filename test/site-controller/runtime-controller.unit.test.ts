import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { CachedObject, CacheName, Caches } from '../../site-controller/src/runtime/context.js';
import { Controller, type EventSource } from '../../site-controller/src/runtime/controller.js';
import { ControllerMetrics } from '../../site-controller/src/runtime/controller-metrics.js';
import { CacheNames, type EventHandler } from '../../site-controller/src/runtime/informers.js';
import { Metrics } from '../../site-controller/src/runtime/metrics.js';
import { TerminalError, type ObjectKey, type ReconcileResult } from '../../site-controller/src/runtime/reconciler.js';
import { FakeClock } from './runtime-fake-clock.js';

/** Caches held in memory with their events: the controller's side of the informers, no API behind it. */
class MemorySource implements EventSource {
  private readonly objects = new Map<CacheName, Map<string, CachedObject>>(CacheNames.map((n) => [n, new Map()]));
  private readonly handlers = new Map<CacheName, Set<EventHandler>>(CacheNames.map((n) => [n, new Set()]));
  readonly caches = Object.fromEntries(
    CacheNames.map((n) => [n, { get: (ns: string, name: string) => this.objects.get(n)?.get(`${ns}/${name}`), list: () => [...(this.objects.get(n)?.values() ?? [])] }]),
  ) as unknown as Caches;

  on(cache: CacheName, handler: EventHandler): () => void {
    this.handlers.get(cache)?.add(handler);
    return () => this.handlers.get(cache)?.delete(handler);
  }

  put(cache: CacheName, namespace: string, name: string, extra: Partial<NonNullable<CachedObject['metadata']>> = {}): void {
    const object = { metadata: { namespace, name, ...extra } };
    this.objects.get(cache)?.set(`${namespace}/${name}`, object);
    for (const handler of this.handlers.get(cache) ?? []) handler(object);
  }
}

type Step = (key: ObjectKey) => Promise<ReconcileResult | undefined>;

function setup(steps: Step[] = [], resyncMs = 60_000) {
  const clock = new FakeClock();
  const source = new MemorySource();
  const metrics = new ControllerMetrics(new Metrics());
  const calls: string[] = [];
  const logs: string[] = [];
  const reconciler = {
    kind: 'Site',
    reconcile: (key: ObjectKey) => {
      calls.push(`${key.namespace}/${key.name}`);
      return (steps.shift() ?? (async () => undefined))(key);
    },
  };
  const registration = {
    reconciler,
    primary: 'sites' as const,
    watches: [{ cache: 'deployments' as const, map: (o: CachedObject) => [{ namespace: o.metadata?.namespace ?? '', name: o.metadata?.labels?.['site'] ?? '' }] }],
  };
  metrics.register('Site');
  const controller = new Controller(registration, source, metrics, (l) => logs.push(l), { clock, resyncMs });
  return { clock, source, metrics, calls, logs, controller };
}

/** Lets the workers run until nothing moves any more (microtasks and immediates). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await tick();
}

const fail: Step = async () => {
  throw new Error('apiserver said no');
};

describe('controller - keys from caches to reconciles', () => {
  it('reconciles existing objects at start, new ones on events, and owners through watches', async () => {
    const t = setup();
    t.source.put('sites', 'west', 'a');
    t.controller.start();
    await settle();
    t.source.put('sites', 'west', 'b');
    t.source.put('deployments', 'west', 'skupper-router', { labels: { site: 'a' } });
    await settle();
    expect(t.calls).toEqual(['west/a', 'west/b', 'west/a']);
    expect(t.metrics.count('Site', 'success')).toBe(3);
    await t.controller.stop();
  });

  it('retries a throwing reconcile with backoff 100, 200, 400 ms; success starts the backoff over', async () => {
    const t = setup([fail, fail, fail, async () => undefined, fail]);
    t.source.put('sites', 'west', 'a');
    t.controller.start();
    await settle();
    expect(t.calls).toHaveLength(1);
    for (const [wait, calls] of [[99, 1], [1, 2], [199, 2], [1, 3], [399, 3], [1, 4]] as const) {
      t.clock.advance(wait);
      await settle();
      expect(t.calls).toHaveLength(calls);
    }
    t.source.put('sites', 'west', 'a');
    await settle();
    expect(t.calls).toHaveLength(5);
    expect(t.logs.at(-1)).toMatch(/^Site west\/a: reconcile failed: apiserver said no; retry 1 in 100 ms$/);
    expect(t.metrics.count('Site', 'error')).toBe(4);
    expect(t.metrics.count('Site', 'success')).toBe(1);
    await t.controller.stop();
  });

  it('does not retry a TerminalError, but logs and counts it', async () => {
    const t = setup([
      async () => {
        throw new TerminalError('linkAccess "bogus" is not a type');
      },
    ]);
    t.source.put('sites', 'west', 'a');
    t.controller.start();
    await settle();
    t.clock.advance(30_000);
    await settle();
    expect(t.calls).toEqual(['west/a']);
    expect(t.metrics.count('Site', 'error')).toBe(1);
    expect(t.logs).toEqual(['Site west/a: reconcile failed, not retrying until it changes: linkAccess "bogus" is not a type']);
    await t.controller.stop();
  });

  it('checks again after requeueAfterMs, and resyncs every object periodically', async () => {
    const t = setup([async () => ({ requeueAfterMs: 5000 })], 60_000);
    t.source.put('sites', 'west', 'a');
    t.controller.start();
    await settle();
    t.clock.advance(4999);
    await settle();
    expect(t.calls).toHaveLength(1);
    t.clock.advance(1);
    await settle();
    expect(t.calls).toHaveLength(2);
    expect(t.metrics.count('Site', 'requeue')).toBe(1);
    t.clock.advance(55_000);
    await settle();
    expect(t.calls).toHaveLength(3);
    await t.controller.stop();
  });

  it('runs a key changed during its reconcile once more afterwards, never twice at once; stop waits for it', async () => {
    let release: () => void = () => undefined;
    let running = 0;
    let most = 0;
    const slow: Step = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => (release = r));
      running--;
      return undefined;
    };
    const t = setup([slow, slow]);
    t.source.put('sites', 'west', 'a');
    t.controller.start();
    await settle();
    t.source.put('sites', 'west', 'a');
    t.source.put('sites', 'west', 'a');
    await settle();
    expect(t.calls).toHaveLength(1);
    release();
    await settle();
    expect(t.calls).toHaveLength(2);
    const stopped = t.controller.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    release();
    await stopped;
    expect(most).toBe(1);
    t.source.put('sites', 'west', 'a');
    await settle();
    expect(t.calls).toHaveLength(2);
  });

  it('survives a reconcile that throws something that is not an Error', async () => {
    const t = setup([
      async () => {
        throw 'a string';
      },
    ]);
    t.source.put('sites', 'west', 'a');
    t.controller.start();
    await settle();
    t.clock.advance(100);
    await settle();
    expect(t.calls).toHaveLength(2);
    await t.controller.stop();
  });
});
