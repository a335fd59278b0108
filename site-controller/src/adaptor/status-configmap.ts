/**
 * Writes ConfigMap `skupper-network-status` (key `status.json`) only when its content changes: the
 * controller watches it, and a write per poll would wake every watcher for nothing.
 */
import { CoreV1Api, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { NetworkStatusConfigMap, NetworkStatusKey, siteLabels } from '../../../common/src/kube-api/names.js';
import type { NetworkStatus } from '../../../common/src/kube-api/network-status.js';
import { API_VERSION } from '../../../common/src/kube-api/types.js';
import { readConfigMap } from './kube-reads.js';
import type { SiteRef } from './site-identity.js';

export class StatusConfigMap {
  private written: string | undefined = undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
  ) {}

  /** Writes `status` unless it is what was last written; returns whether it wrote. */
  async write(status: NetworkStatus, site: SiteRef): Promise<boolean> {
    const text = JSON.stringify(status, null, 2) + '\n';
    if (text === this.written) return false;
    const api = this.kc.makeApiClient(CoreV1Api);
    const existing = await readConfigMap(this.kc, this.namespace, NetworkStatusConfigMap);
    const body: V1ConfigMap = {
      metadata: {
        name: NetworkStatusConfigMap,
        namespace: this.namespace,
        labels: { ...existing?.metadata?.labels, ...siteLabels(site.name) },
        ownerReferences: [{ apiVersion: API_VERSION, kind: 'Site', name: site.name, uid: site.uid, controller: true }],
      },
      data: { [NetworkStatusKey]: text },
    };
    let wrote = true;
    if (existing === undefined) {
      await api.createNamespacedConfigMap({ namespace: this.namespace, body });
    } else if (existing.data?.[NetworkStatusKey] !== text || !sameLabels(existing, body)) {
      // The resourceVersion makes a concurrent write a 409, retried at the next poll.
      const resourceVersion = existing.metadata?.resourceVersion;
      const replacement = { ...body, metadata: { ...body.metadata, ...(resourceVersion === undefined ? {} : { resourceVersion }) } };
      await api.replaceNamespacedConfigMap({ name: NetworkStatusConfigMap, namespace: this.namespace, body: replacement });
    } else {
      wrote = false;
    }
    this.written = text;
    return wrote;
  }
}

function sameLabels(existing: V1ConfigMap, wanted: V1ConfigMap): boolean {
  const have = existing.metadata?.labels ?? {};
  return Object.entries(wanted.metadata?.labels ?? {}).every(([k, v]) => have[k] === v) && (existing.metadata?.ownerReferences?.length ?? 0) > 0;
}
