/** The router pods of a Site and whether each is Ready, read through the API. */
import { Label } from '../../../../common/src/kube-api/names.js';
import type { KubeClient } from './kube-client.js';

export interface RouterPod {
  name: string;
  ready: boolean;
  phase: string;
  restarts: number;
}

export function routerPodSelector(site: string): string {
  return `${Label.component}=router,${Label.site}=${site}`;
}

export async function routerPods(client: KubeClient, site: string): Promise<RouterPod[]> {
  const { namespace } = client;
  const list = await client.call({ verb: 'list', resource: 'pods', namespace }, () => client.core.listNamespacedPod({ namespace, labelSelector: routerPodSelector(site) }));
  return list.items
    .filter((p) => p.metadata?.deletionTimestamp === undefined)
    .map((p) => ({
      name: p.metadata?.name ?? '',
      ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      phase: p.status?.phase ?? 'Unknown',
      restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0),
    }));
}
