/** The RouterAccess `skupper-router` a Site with linkAccess gets: both roles, the site server cert. */
import { API_VERSION, type RouterAccess, type Site } from '../../../common/src/kube-api/types.js';
import { DefaultRouterAccess, Port, SiteServerSecret, siteLabels } from '../../../common/src/kube-api/names.js';
import type { AccessType } from './link-access.js';
import { ownerReference } from './object-meta.js';

export function defaultRouterAccess(site: Site, accessType: AccessType): RouterAccess {
  return {
    apiVersion: API_VERSION,
    kind: 'RouterAccess',
    metadata: {
      name: DefaultRouterAccess,
      namespace: site.metadata.namespace ?? '',
      labels: siteLabels(site.metadata.name),
      ownerReferences: [ownerReference(site)],
    },
    spec: {
      accessType,
      roles: [
        { name: 'inter-router', port: Port.interRouter },
        { name: 'edge', port: Port.edge },
      ],
      tlsCredentials: SiteServerSecret,
    },
  };
}
