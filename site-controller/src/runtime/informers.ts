/**
 * The informer caches of context.ts: one Reflector per kind per watched namespace (or one per kind
 * across all namespaces), read through one Cache per kind. Events go to handlers registered per
 * cache; the controllers' handlers only enqueue keys.
 */
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { systemClock, type Clock } from './clock.js';
import type { CachedObject, CacheName, Caches } from './context.js';
import { kindSpecs, SiteControllerCaches, type CacheSelection } from './kinds.js';
import { Reflector } from './reflector.js';
import type { Cache } from './reconciler.js';

export type EventHandler = (object: CachedObject) => void;

export const CacheNames: readonly CacheName[] = [
  'sites',
  'links',
  'accessGrants',
  'accessTokens',
  'routerAccesses',
  'listeners',
  'connectors',
  'configMaps',
  'secrets',
  'services',
  'deployments',
  'statefulSets',
  'pods',
];

export interface InformerOptions {
  clock?: Clock;
  /** The kinds this process caches and their selectors (default: the site-controller's). */
  selection?: CacheSelection;
  /** Of those, only these kinds (default all of them); tests may watch fewer. */
  only?: readonly CacheName[];
}

export class Informers {
  readonly caches: Caches;
  private readonly reflectors: Reflector[] = [];
  private readonly handlers = new Map<CacheName, Set<EventHandler>>();

  constructor(
    kc: KubeConfig,
    /** Undefined: every namespace. */
    namespaces: readonly string[] | undefined,
    private readonly log: (line: string) => void,
    options: InformerOptions = {},
  ) {
    const selection = options.selection ?? SiteControllerCaches;
    const specs = kindSpecs(kc, selection);
    const clock = options.clock ?? systemClock;
    const watched = new Set((options.only ?? CacheNames).filter((name) => selection[name] !== undefined));
    const caches: Partial<Record<CacheName, Cache<KubernetesObject>>> = {};
    for (const name of CacheNames) {
      const byNamespace = new Map<string | undefined, Reflector>();
      if (watched.has(name)) {
        for (const ns of namespaces ?? [undefined]) {
          const reflector = new Reflector(kc, specs[name], ns, clock, log, (object) => this.dispatch(name, object));
          byNamespace.set(ns, reflector);
          this.reflectors.push(reflector);
        }
      }
      caches[name] = namespaces ? namespacedCache(byNamespace) : clusterCache(byNamespace.get(undefined));
    }
    // Each kind's objects are that kind's API type; the reflectors hold them untyped.
    this.caches = caches as unknown as Caches;
  }

  /** Calls `handler` with every object of `cache` that is added, changed or deleted; returns the way to stop. */
  on(cache: CacheName, handler: EventHandler): () => void {
    let set = this.handlers.get(cache);
    if (!set) this.handlers.set(cache, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  start(): void {
    for (const reflector of this.reflectors) reflector.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.reflectors.map((r) => r.stop()));
  }

  /** Every cache has listed once. */
  synced(): boolean {
    return this.reflectors.every((r) => r.synced);
  }

  /** Why the caches cannot be trusted yet (undefined once synced): a failing watch, or the ones still listing. */
  notReadyReason(): string | undefined {
    const pending = this.reflectors.filter((r) => !r.synced);
    if (pending.length === 0) return undefined;
    const failing = pending.map((r) => r.failureReason).filter((r) => r !== undefined);
    if (failing.length > 0) return failing.join('; ');
    return `caches not synced yet: ${pending.map((r) => r.name).join(', ')}`;
  }

  private dispatch(cache: CacheName, object: KubernetesObject): void {
    for (const handler of this.handlers.get(cache) ?? []) {
      try {
        handler(object as CachedObject);
      } catch (error) {
        this.log(`event handler for ${cache} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

function namespacedCache(byNamespace: ReadonlyMap<string | undefined, Reflector>): Cache<KubernetesObject> {
  return {
    get: (namespace, name) => byNamespace.get(namespace)?.informer.get(name, namespace),
    list: (namespace) =>
      namespace !== undefined ? [...(byNamespace.get(namespace)?.informer.list(namespace) ?? [])] : [...byNamespace.values()].flatMap((r) => r.informer.list()),
  };
}

function clusterCache(reflector: Reflector | undefined): Cache<KubernetesObject> {
  return {
    get: (namespace, name) => reflector?.informer.get(name, namespace),
    list: (namespace) => [...(reflector?.informer.list(namespace) ?? [])],
  };
}
