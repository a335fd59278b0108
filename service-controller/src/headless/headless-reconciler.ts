/**
 * Headless Service reconciler (ADR 0005), keyed by the headless Service's name: keeps the Service
 * and EndpointSlice of headless-service.ts for the valid Listeners labelled with that name, and
 * deletes both when none is left (owner references would too, but a Listener may also lose its
 * label). A Service of that name that Skiff did not make is never touched: the per-pod names wait,
 * and the log says why and what to do.
 *
 * EndpointSlices are not cached (the runtime watches no discovery kind): the slice is applied
 * server-side when what this process last applied differs, and once a minute besides, so a slice
 * deleted or edited by hand comes back.
 */
import type { V1Service } from '@kubernetes/client-node';
import type { ObjectKey, ReconcileResult, Reconciler } from '../../../site-controller/src/runtime/reconciler.js';
import { planListeners } from '../desired/listener-plan.js';
import type { ServiceControllerDeps } from '../deps.js';
import { headlessObjects, headlessServiceOf, isHeadlessService } from './headless-service.js';

const REAPPLY_MS = 60_000;

export class HeadlessServiceReconciler implements Reconciler {
  readonly kind = 'HeadlessService';
  /** Per key, the slice last applied (JSON) and when. */
  private readonly applied = new Map<string, { slice: string; at: number }>();
  /** Per key, the last problem logged, so a lasting one is said once. */
  private readonly said = new Map<string, string>();

  constructor(private readonly deps: ServiceControllerDeps) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult | undefined> {
    const { caches, log } = this.deps.ctx;
    const { namespace, name } = key;
    const id = `${namespace}/${name}`;
    const services = caches.services.list(namespace);
    const listeners = [...planListeners(caches.listeners.list(namespace), services).values()]
      .filter((plan) => plan.problem === undefined && headlessServiceOf(plan.listener) === name)
      .map((plan) => plan.listener);
    const existing = caches.services.get(namespace, name);
    if (listeners.length === 0) {
      this.applied.delete(id);
      this.said.delete(id);
      if (!isHeadlessService(existing, name)) return undefined;
      await this.deps.writer.deleteIfExists({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace } });
      await this.deps.writer.deleteIfExists({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace } });
      log(`headless Service ${name}: deleted (no per-pod Listener is labelled with it any more)`);
      return undefined;
    }
    if (existing !== undefined && !isHeadlessService(existing, name)) {
      this.tell(id, `headless Service ${name}: a Service ${name} that Skiff did not make is in the way, so ${listeners.length} per-pod Listeners have no pod names; delete it, or expose the StatefulSet under another address`);
      return undefined;
    }
    this.said.delete(id);
    const byName = new Map<string, V1Service>(services.map((s) => [s.metadata?.name ?? '', s]));
    const wanted = headlessObjects(name, namespace, listeners, byName);
    if (existing === undefined || serviceDiffers(existing, wanted.service)) await this.deps.writer.apply(wanted.service);
    const slice = JSON.stringify(wanted.slice);
    const last = this.applied.get(id);
    const now = Date.now();
    if (last === undefined || last.slice !== slice || now - last.at >= REAPPLY_MS) {
      await this.deps.writer.apply(wanted.slice);
      this.applied.set(id, { slice, at: now });
    }
    return { requeueAfterMs: REAPPLY_MS };
  }

  private tell(id: string, problem: string): void {
    if (this.said.get(id) === problem) return;
    this.said.set(id, problem);
    this.deps.ctx.log(problem);
  }
}

/** Whether the cached Service lacks what `wanted` sets (ports, owners, labels). */
function serviceDiffers(existing: V1Service, wanted: V1Service): boolean {
  const pick = (s: V1Service) =>
    JSON.stringify([
      s.spec?.clusterIP,
      s.spec?.ports?.map((p) => [p.name, p.port, p.targetPort, p.protocol]),
      s.metadata?.ownerReferences?.map((o) => o.uid),
      Object.entries(wanted.metadata?.labels ?? {}).map(([k]) => s.metadata?.labels?.[k]),
    ]);
  return pick(existing) !== pick(wanted);
}
