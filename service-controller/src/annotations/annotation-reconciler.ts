/**
 * Annotation-driven exposure (ADR 0005), one reconciler per annotated kind, keyed by the object:
 * makes the Listeners and Connectors its `skupper.io/*` annotations ask for (server-side apply,
 * owned by the object) and deletes those it owns and no longer asks for, so removing the
 * annotation (or the object) unexposes it. An annotation Skiff cannot act on, or an address taken
 * by something else, leaves every object as it is and is said once, as a Warning Event on the
 * annotated object and one log line, until it changes.
 */
import { exposureConnectors, exposureListeners, type Exposure } from '../../../common/src/kube-api/exposure.js';
import { Annotation, Label } from '../../../common/src/kube-api/names.js';
import type { Connector, Listener } from '../../../common/src/kube-api/types.js';
import type { Cache, ObjectKey, ReconcileResult, Reconciler } from '../../../site-controller/src/runtime/reconciler.js';
import { keyOf } from '../../../site-controller/src/runtime/reconciler.js';
import type { ServiceControllerDeps } from '../deps.js';
import { annotatedExposure, ApiVersionOf, type AnnotatedKind, type AnnotatedObject, type AnnotationProblem } from './annotated-exposure.js';
import type { ObjectEvents } from './object-events.js';
import { ownedByAnnotation, sameObject } from './owned-objects.js';

type Made = Listener | Connector;

export class AnnotationReconciler implements Reconciler {
  readonly kind: string;
  /** What was last said about each object, so a problem is said once. */
  private readonly said = new Map<string, string>();

  constructor(
    private readonly deps: ServiceControllerDeps,
    private readonly annotated: AnnotatedKind,
    private readonly objects: Cache<AnnotatedObject>,
    private readonly events: ObjectEvents,
  ) {
    this.kind = `${annotated}Annotations`;
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult | undefined> {
    const { caches } = this.deps.ctx;
    const object = this.objects.get(key.namespace, key.name);
    const made: Made[] = [...caches.listeners.list(key.namespace), ...caches.connectors.list(key.namespace)];
    const owned = made.filter((o) => ownedByAnnotation(o, this.annotated, key.name));
    const live = object !== undefined && object.metadata?.deletionTimestamp === undefined;
    const answer = live ? annotatedExposure(this.annotated, object, caches.pods.list(key.namespace)) : { type: 'none' as const };
    if (answer.type === 'problem') return this.say(key, object, answer.problem);
    const desired: Made[] = answer.type === 'exposure' ? [...exposureListeners(answer.exposure), ...exposureConnectors(answer.exposure)] : [];
    const taken = desired.map((d) => made.find((o) => o.kind === d.kind && o.metadata.name === d.metadata.name)).find((o) => o !== undefined && !owned.includes(o));
    if (taken !== undefined && answer.type === 'exposure') return this.say(key, object, addressTaken(answer.exposure, taken));
    this.said.delete(keyOf(key.namespace, key.name));
    for (const stale of owned.filter((o) => !desired.some((d) => d.kind === o.kind && d.metadata.name === o.metadata.name))) {
      await this.deps.writer.deleteIfExists(stale);
      this.deps.ctx.log(`${this.annotated} ${key.namespace}/${key.name}: ${stale.kind} ${stale.metadata.name} deleted (no longer asked for by its ${Annotation.proxy} annotation)`);
    }
    for (const wanted of desired) {
      if (owned.some((o) => sameObject(o, wanted))) continue;
      await this.deps.writer.apply(wanted);
    }
    return undefined;
  }

  private async say(key: ObjectKey, object: AnnotatedObject | undefined, problem: AnnotationProblem): Promise<undefined> {
    const text = `annotation ${problem.annotation}${problem.value === '' ? '' : `="${problem.value}"`}: ${problem.problem}; ${problem.fix}`;
    const id = keyOf(key.namespace, key.name);
    if (this.said.get(id) === text || object === undefined) return undefined;
    this.said.set(id, text);
    const { name = key.name, namespace = key.namespace, uid } = object.metadata ?? {};
    const refused = await this.events.warn({ apiVersion: ApiVersionOf[this.annotated], kind: this.annotated, name, namespace, ...(uid === undefined ? {} : { uid }) }, 'InvalidAnnotation', text);
    this.deps.ctx.log(`${this.annotated} ${id}: ${text}${refused === undefined ? '' : ` (no Event recorded: ${refused})`}`);
    return undefined;
  }
}

function addressTaken(exposure: Exposure, taken: Made): AnnotationProblem {
  const by = taken.metadata.labels?.[Label.exposedBy];
  const owner = taken.metadata.ownerReferences?.[0];
  const maker = by === 'annotation' && owner !== undefined ? `the annotation on ${owner.kind} ${owner.name}` : by === 'skiff-cli' ? 'skiff expose' : taken.metadata.labels?.[Label.serviceSync] === 'synced' ? 'service sync (another site defined it first)' : 'kubectl';
  return {
    annotation: Annotation.v1Address,
    value: exposure.address,
    problem: `${taken.kind} ${taken.metadata.name} already exists, made by ${maker}`,
    fix: `choose another address with ${Annotation.v1Address}, or remove the other exposure`,
  };
}
