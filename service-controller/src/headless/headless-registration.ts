/**
 * How the headless reconciler is wired (ADR 0005): a per-pod Listener enqueues the headless Service
 * it is labelled with; a Service event enqueues every headless name of its namespace's Listeners
 * (a per-pod Service got its ClusterIP, or a Service in the way went) and the one it was made as.
 */
import type { CachedObject, Caches, ReconcilerRegistration } from '../../../site-controller/src/runtime/context.js';
import type { ObjectKey } from '../../../site-controller/src/runtime/reconciler.js';
import { Label } from '../../../common/src/kube-api/names.js';
import type { ServiceControllerDeps } from '../deps.js';
import { HeadlessServiceReconciler } from './headless-reconciler.js';
import { headlessServiceOf } from './headless-service.js';

function listenerToHeadless(listener: CachedObject): ObjectKey[] {
  const name = headlessServiceOf(listener);
  return name === undefined ? [] : [{ namespace: listener.metadata?.namespace ?? '', name }];
}

function serviceToHeadless(caches: Caches): (service: CachedObject) => ObjectKey[] {
  return (service) => {
    const namespace = service.metadata?.namespace ?? '';
    const names = new Set(caches.listeners.list(namespace).flatMap((l) => headlessServiceOf(l) ?? []));
    const madeAs = service.metadata?.labels?.[Label.headlessService];
    if (madeAs !== undefined) names.add(madeAs);
    return [...names].map((name) => ({ namespace, name }));
  };
}

export function headlessRegistration(deps: ServiceControllerDeps): ReconcilerRegistration {
  return {
    reconciler: new HeadlessServiceReconciler(deps),
    primary: 'listeners',
    primaryKeys: listenerToHeadless,
    watches: [{ cache: 'services', map: serviceToHeadless(deps.ctx.caches) }],
  };
}
