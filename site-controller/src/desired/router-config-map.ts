/** ConfigMap `skupper-router`: the router config the kube-adaptor and the router's start read. */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { RouterConfigKey, RouterConfigMap } from '../../../common/src/kube-api/names.js';
import type { Link, RouterAccess, Site } from '../../../common/src/kube-api/types.js';
import { ownedMeta } from './object-meta.js';
import { renderRouterConfig, routerConfig } from './router-config.js';

export function routerConfigMap(site: Site, accesses: readonly RouterAccess[], links: readonly Link[]): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: ownedMeta(RouterConfigMap, site.metadata.namespace ?? '', site.metadata.name, site),
    data: { [RouterConfigKey]: renderRouterConfig(routerConfig(site, accesses, links)) },
  };
}
