/** The JSON description of a Kubernetes site that init and status share (stable keys). */
import type { Site } from '../../../../common/src/kube-api/types.js';

export interface KubeSiteJson {
  site: string;
  namespace: string;
  platform: 'kubernetes';
  id: string | null;
  linkAccess: string | null;
  edge: boolean;
  status: string;
  message: string | null;
  endpoints: { name: string | null; host: string | null; port: string | null; group: string | null }[];
  waitedFor: string[];
}

export function siteJson(site: Site, namespace: string, waitedFor: string[]): KubeSiteJson {
  return {
    site: site.metadata.name,
    namespace,
    platform: 'kubernetes',
    id: site.metadata.uid ?? null,
    linkAccess: site.spec?.linkAccess ?? null,
    edge: site.spec?.edge === true,
    status: site.status?.status ?? 'Pending',
    message: site.status?.message ?? null,
    endpoints: (site.status?.endpoints ?? []).map((e) => ({ name: e.name ?? null, host: e.host ?? null, port: e.port ?? null, group: e.group ?? null })),
    waitedFor,
  };
}
