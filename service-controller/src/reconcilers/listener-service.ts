/**
 * Listener Service reconciler (ADR 0005), keyed by host (= Service name): makes the Service of the
 * Listeners of that host (server-side apply), takes over a Service Skiff does not own only when a
 * Listener asks, and when no Listener wants the host any more deletes Skiff's Service or restores a
 * taken-over one exactly. A taken-over Service is written whole (read-modify-write with its
 * resourceVersion), so a concurrent change is a conflict and retried, never overwritten.
 */
import { CoreV1Api, type V1Service } from '@kubernetes/client-node';
import type { ObjectKey, ReconcileResult, Reconciler } from '../../../site-controller/src/runtime/reconciler.js';
import { planListeners, plansForHost } from '../desired/listener-plan.js';
import { ownedService, restoredService, serviceState, takenOverService, takeOverDiffers, takeOverWanted } from '../desired/listener-service.js';
import type { ServiceControllerDeps } from '../deps.js';

export class ListenerServiceReconciler implements Reconciler {
  readonly kind = 'ListenerService';
  private readonly core: CoreV1Api;

  constructor(private readonly deps: ServiceControllerDeps) {
    this.core = deps.ctx.kubeConfig.makeApiClient(CoreV1Api);
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult | undefined> {
    const { caches, settings, log } = this.deps.ctx;
    const host = key.name;
    const plans = plansForHost(planListeners(caches.listeners.list(key.namespace), caches.services.list(key.namespace)), host);
    const existing = caches.services.get(key.namespace, host);
    const state = serviceState(existing, host);
    if (plans.length === 0) {
      if (state === 'ours') {
        await this.deps.writer.deleteIfExists({ apiVersion: 'v1', kind: 'Service', metadata: { name: host, namespace: key.namespace } });
        log(`Service ${host}: deleted (no Listener has host ${host} any more)`);
      } else if (state === 'takenOver' && existing !== undefined) {
        await this.replace(restoredService(existing));
        log(`Service ${host}: released, its own selector and ports restored`);
      }
      return undefined;
    }
    switch (state) {
      case 'absent':
      case 'ours':
        await this.deps.writer.apply(ownedService(host, key.namespace, settings.siteName, plans));
        return undefined;
      case 'takenOver':
      case 'foreign': {
        if (existing === undefined || (state === 'foreign' && !takeOverWanted(plans))) return undefined;
        const wanted = takenOverService(existing, settings.siteName, plans);
        if (!takeOverDiffers(existing, wanted)) return undefined;
        await this.replace(wanted);
        if (state === 'foreign') log(`Service ${host}: taken over (its selector and ports are saved in annotations and restored on release)`);
        return undefined;
      }
    }
  }

  /**
   * Writes the whole Service. The cache holds the API's JSON (timestamps as strings), which the
   * client would try to serialize as Dates: the fields only the API server sets are left out (it
   * keeps them as they are on an update).
   */
  private async replace(service: V1Service): Promise<void> {
    const { creationTimestamp: _created, deletionTimestamp: _deleted, managedFields: _fields, ...metadata } = service.metadata ?? {};
    const { name = '', namespace = '' } = metadata;
    await this.core.replaceNamespacedService({ name, namespace, body: { ...service, metadata } });
  }
}
