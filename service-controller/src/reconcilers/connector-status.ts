/** Connector reconciler: the Connector's status (desired/connector-status.ts) from the caches. */
import { NetworkStatusConfigMap } from '../../../common/src/kube-api/names.js';
import { parseNetworkStatus } from '../../../site-controller/src/desired/network-status.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../../../site-controller/src/runtime/reconciler.js';
import { connectorStatus } from '../desired/connector-status.js';
import { selectedPods } from '../desired/selected-pods.js';
import type { ServiceControllerDeps } from '../deps.js';
import { writeStatusIfChanged } from './status-writes.js';

export class ConnectorStatusReconciler implements Reconciler {
  readonly kind = 'Connector';

  constructor(private readonly deps: ServiceControllerDeps) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult | undefined> {
    const { caches } = this.deps.ctx;
    const connector = caches.connectors.get(key.namespace, key.name);
    if (connector === undefined || connector.metadata.deletionTimestamp !== undefined) return undefined;
    const status = connectorStatus({
      connector,
      pods: selectedPods(connector, caches.pods.list(key.namespace)),
      network: parseNetworkStatus(caches.configMaps.get(key.namespace, NetworkStatusConfigMap)),
      now: new Date(),
    });
    await writeStatusIfChanged(this.deps.writer, 'Connector', connector, status);
    return undefined;
  }
}
