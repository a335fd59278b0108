/**
 * Which keys an event on a related object enqueues for the service-controller's reconcilers.
 * Reconciles are level-based, so an extra key costs one no-op; a namespace holds few Listeners.
 */
import { Label, NetworkStatusConfigMap } from '../../../common/src/kube-api/names.js';
import type { Caches, CachedObject } from '../../../site-controller/src/runtime/context.js';
import type { ObjectKey } from '../../../site-controller/src/runtime/reconciler.js';

type Map = (object: CachedObject) => ObjectKey[];

function namespaceOf(object: CachedObject): string {
  return object.metadata?.namespace ?? '';
}

/** The same key whatever happened (work done for the whole site at once). */
export function always(key: ObjectKey): Map {
  return () => [key];
}

/** A Listener → the Service of its host, and every Service Skiff made for a Listener (its host may have changed). */
export function listenerToServices(caches: Caches): Map {
  return (object) => {
    const namespace = namespaceOf(object);
    const host = (object as { spec?: { host?: unknown } }).spec?.host;
    const hosts = new Set(typeof host === 'string' && host !== '' ? [host] : []);
    for (const service of caches.services.list(namespace)) {
      const mark = service.metadata?.labels?.[Label.listenerService];
      if (mark !== undefined) hosts.add(mark);
    }
    return [...hosts].map((name) => ({ namespace, name }));
  };
}

/** A Service → the Listeners whose host it is. */
export function serviceToListeners(caches: Caches): Map {
  return (object) =>
    caches.listeners
      .list(namespaceOf(object))
      .filter((l) => l.spec?.host === object.metadata?.name)
      .map((l) => ({ namespace: namespaceOf(object), name: l.metadata.name }));
}

/** Every object of `list` in the event object's namespace. */
export function allOf(list: (namespace: string) => { metadata: { name: string } }[]): Map {
  return (object) => list(namespaceOf(object)).map((o) => ({ namespace: namespaceOf(object), name: o.metadata.name }));
}

/** Only the network status ConfigMap leads anywhere. */
export function networkStatusTo(map: Map): Map {
  return (object) => (object.metadata?.name === NetworkStatusConfigMap ? map(object) : []);
}
