/**
 * The registrations of annotation-driven exposure: one reconciler per annotated kind, woken by its
 * own objects, by the Listeners and Connectors they own, and (Services, whose target ports may be
 * container port names) by pods.
 */
import { Annotation } from '../../../common/src/kube-api/names.js';
import type { CachedObject, ReconcilerRegistration } from '../../../site-controller/src/runtime/context.js';
import type { Cache, ObjectKey } from '../../../site-controller/src/runtime/reconciler.js';
import type { ServiceControllerDeps } from '../deps.js';
import type { AnnotatedKind, AnnotatedObject } from './annotated-exposure.js';
import { AnnotationReconciler } from './annotation-reconciler.js';
import { ObjectEvents } from './object-events.js';
import { toOwner } from './owned-objects.js';

const KINDS: readonly { kind: AnnotatedKind; cache: 'deployments' | 'statefulSets' | 'services' }[] = [
  { kind: 'Deployment', cache: 'deployments' },
  { kind: 'StatefulSet', cache: 'statefulSets' },
  { kind: 'Service', cache: 'services' },
];

export function annotationRegistrations(deps: ServiceControllerDeps): ReconcilerRegistration[] {
  const events = new ObjectEvents(deps.ctx.kubeConfig);
  const { caches } = deps.ctx;
  return KINDS.map(({ kind, cache }) => ({
    reconciler: new AnnotationReconciler(deps, kind, caches[cache] as Cache<AnnotatedObject>, events),
    primary: cache,
    watches: [
      { cache: 'listeners', map: toOwner(kind) },
      { cache: 'connectors', map: toOwner(kind) },
      ...(kind === 'Service' ? [{ cache: 'pods' as const, map: annotatedServices(caches.services) }] : []),
    ],
  }));
}

/** A pod → the annotated Services of its namespace. */
function annotatedServices(services: Cache<AnnotatedObject>): (object: CachedObject) => ObjectKey[] {
  return (object) => {
    const namespace = object.metadata?.namespace ?? '';
    return services
      .list(namespace)
      .filter((s) => s.metadata?.annotations?.[Annotation.proxy] !== undefined)
      .map((s) => ({ namespace, name: s.metadata?.name ?? '' }));
  };
}
