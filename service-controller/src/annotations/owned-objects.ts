/**
 * Which Listeners and Connectors an annotated object owns (made for its annotations: labelled
 * exposed-by=annotation, owner reference to it), and whether one already is as desired, so an
 * unchanged exposure is never written again.
 */
import { ExposedBy } from '../../../common/src/kube-api/exposure.js';
import { Label } from '../../../common/src/kube-api/names.js';
import type { Connector, Listener } from '../../../common/src/kube-api/types.js';
import type { CachedObject } from '../../../site-controller/src/runtime/context.js';
import type { ObjectKey } from '../../../site-controller/src/runtime/reconciler.js';
import type { AnnotatedKind } from './annotated-exposure.js';

export function ownedByAnnotation(object: CachedObject, kind: AnnotatedKind, name: string): boolean {
  return object.metadata?.labels?.[Label.exposedBy] === ExposedBy.annotation && (object.metadata.ownerReferences ?? []).some((o) => o.kind === kind && o.name === name);
}

/** A Listener or Connector event → the annotated object of `kind` that owns it. */
export function toOwner(kind: AnnotatedKind): (object: CachedObject) => ObjectKey[] {
  return (object) => {
    if (object.metadata?.labels?.[Label.exposedBy] !== ExposedBy.annotation) return [];
    const namespace = object.metadata.namespace ?? '';
    return (object.metadata.ownerReferences ?? []).filter((o) => o.kind === kind).map((o) => ({ namespace, name: o.name }));
  };
}

/** Same spec, labels, annotations and owners as desired (what apply would write). */
export function sameObject(existing: Listener | Connector, desired: Listener | Connector): boolean {
  if (existing.kind !== desired.kind || existing.metadata.name !== desired.metadata.name) return false;
  const subset = (want: Record<string, string> | undefined, have: Record<string, string> | undefined): boolean => Object.entries(want ?? {}).every(([k, v]) => have?.[k] === v);
  const owners = (o: Listener | Connector): string => JSON.stringify((o.metadata.ownerReferences ?? []).map((r) => [r.kind, r.name, r.uid]));
  return (
    sameFields(existing.spec, desired.spec) &&
    subset(desired.metadata.labels, existing.metadata.labels) &&
    subset(desired.metadata.annotations, existing.metadata.annotations) &&
    owners(existing) === owners(desired)
  );
}

/** Equal scalar fields, whatever their order (server-side apply may reorder them). */
function sameFields(a: object | undefined, b: object | undefined): boolean {
  const x = (a ?? {}) as Record<string, unknown>;
  const y = (b ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].every((k) => x[k] === y[k]);
}
