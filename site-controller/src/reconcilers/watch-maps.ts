/**
 * Which keys an event on a related object enqueues (ADR 0004): objects the controller made carry
 * the `skupper.io/site` label; the network status, Secrets and Sites fan out to every object of
 * their namespace that reads them. Reconciles are level-based, so an extra key costs one no-op.
 */
import { Label, NetworkStatusConfigMap, SiteCaSecret, SiteServerSecret } from '../../../common/src/kube-api/names.js';
import type { Caches, CachedObject } from '../runtime/context.js';
import type { Cache, ObjectKey } from '../runtime/reconciler.js';
import { isRouterPod } from './router-pods.js';

type Named = { metadata: { name: string; namespace?: string } };

function namespaceOf(object: CachedObject): string {
  return object.metadata?.namespace ?? '';
}

/** Keys of every object of `cache` in the event object's namespace. */
export function allInNamespace<T extends Named>(cache: Cache<T>): (object: CachedObject) => ObjectKey[] {
  return (object) => cache.list(namespaceOf(object)).map((o) => ({ namespace: namespaceOf(object), name: o.metadata.name }));
}

/** The Site named by the object's `skupper.io/site` label. */
export function labelledSite(object: CachedObject): ObjectKey[] {
  const site = object.metadata?.labels?.[Label.site];
  return site === undefined ? [] : [{ namespace: namespaceOf(object), name: site }];
}

/** Only router pods: other pods in the namespace change nothing the controller reports. */
export function routerPodsTo(map: (object: CachedObject) => ObjectKey[]): (object: CachedObject) => ObjectKey[] {
  return (object) => (isRouterPod(object) ? map(object) : []);
}

/** Secrets the Sites of a namespace read: their CA, server cert, and every Link's credentials. */
export function secretToSites(caches: Caches): (object: CachedObject) => ObjectKey[] {
  const toSites = allInNamespace(caches.sites);
  return (object) => {
    const name = object.metadata?.name ?? '';
    const used = name === SiteCaSecret || name === SiteServerSecret || caches.links.list(namespaceOf(object)).some((l) => l.spec?.tlsCredentials === name);
    return used ? toSites(object) : [];
  };
}

export function secretToLinks(caches: Caches): (object: CachedObject) => ObjectKey[] {
  return (object) =>
    caches.links
      .list(namespaceOf(object))
      .filter((l) => l.spec?.tlsCredentials === object.metadata?.name)
      .map((l) => ({ namespace: namespaceOf(object), name: l.metadata.name }));
}

/** The network status fans out to `keys`; any other ConfigMap to the Site it is labelled with. */
export function configMapTo(keys: (object: CachedObject) => ObjectKey[], otherwise: (object: CachedObject) => ObjectKey[] = () => []): (object: CachedObject) => ObjectKey[] {
  return (object) => (object.metadata?.name === NetworkStatusConfigMap ? keys(object) : otherwise(object));
}

export function named(name: string, map: (object: CachedObject) => ObjectKey[]): (object: CachedObject) => ObjectKey[] {
  return (object) => (object.metadata?.name === name ? map(object) : []);
}

/** The object of the same name in the same namespace (a RouterAccess's Service is named after it). */
export function sameName(object: CachedObject): ObjectKey[] {
  return [{ namespace: namespaceOf(object), name: object.metadata?.name ?? '' }];
}
