/**
 * The Service through which other sites reach a RouterAccess (ADR 0004): named after it, its type
 * from the access type, one port per role, and the grant server's port on the default one (the
 * grant server is reachable exactly where the router is).
 */
import type { V1Service, V1ServicePort } from '@kubernetes/client-node';
import { DefaultRouterAccess, Port, RouterSelector } from '../../../common/src/kube-api/names.js';
import { API_VERSION, type RouterAccess } from '../../../common/src/kube-api/types.js';
import { AccessType } from './link-access.js';
import { ownedMeta } from './object-meta.js';

export const GrantPortName = 'grant';

const ServiceType: Record<AccessType, string> = {
  [AccessType.loadbalancer]: 'LoadBalancer',
  [AccessType.nodeport]: 'NodePort',
  [AccessType.local]: 'ClusterIP',
};

export function routerServicePorts(access: RouterAccess): V1ServicePort[] {
  const ports: V1ServicePort[] = (access.spec?.roles ?? []).map((r) => ({ name: r.name, port: r.port, targetPort: r.port, protocol: 'TCP' }));
  if (access.metadata.name === DefaultRouterAccess) ports.push({ name: GrantPortName, port: Port.grant, targetPort: Port.grant, protocol: 'TCP' });
  return ports;
}

export function routerService(access: RouterAccess, site: string, type: AccessType): V1Service {
  const owner = { apiVersion: API_VERSION, kind: 'RouterAccess', metadata: access.metadata };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ownedMeta(access.metadata.name, access.metadata.namespace ?? '', site, owner),
    spec: { type: ServiceType[type], selector: { ...RouterSelector }, ports: routerServicePorts(access) },
  };
}
