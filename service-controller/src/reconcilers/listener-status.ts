/** Listener reconciler: the Listener's status (desired/listener-status.ts) from the caches. */
import { NetworkStatusConfigMap } from '../../../common/src/kube-api/names.js';
import { parseNetworkStatus } from '../../../site-controller/src/desired/network-status.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../../../site-controller/src/runtime/reconciler.js';
import { planListeners, plansForHost } from '../desired/listener-plan.js';
import { takeOverWanted } from '../desired/listener-service.js';
import { listenerStatus } from '../desired/listener-status.js';
import type { ServiceControllerDeps } from '../deps.js';
import { writeStatusIfChanged } from './status-writes.js';

export class ListenerStatusReconciler implements Reconciler {
  readonly kind = 'Listener';

  constructor(private readonly deps: ServiceControllerDeps) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult | undefined> {
    const { caches } = this.deps.ctx;
    const listener = caches.listeners.get(key.namespace, key.name);
    if (listener === undefined || listener.metadata.deletionTimestamp !== undefined) return undefined;
    const plans = planListeners(caches.listeners.list(key.namespace), caches.services.list(key.namespace));
    const plan = plans.get(key.name);
    if (plan === undefined) return undefined;
    const host = listener.spec?.host ?? '';
    const status = listenerStatus({
      plan,
      service: host === '' ? undefined : caches.services.get(key.namespace, host),
      takeOver: takeOverWanted([plan, ...plansForHost(plans, host)]),
      network: parseNetworkStatus(caches.configMaps.get(key.namespace, NetworkStatusConfigMap)),
      now: new Date(),
    });
    await writeStatusIfChanged(this.deps.writer, 'Listener', listener, status);
    return undefined;
  }
}
