/**
 * Where other sites reach a RouterAccess (ADR 0004): a LoadBalancer's ingress address, a node's
 * address with the NodePort (SKIFF_NODEPORT_HOST, else the router pod's hostIP, which needs no
 * cluster-scoped read), or the Service's in-cluster name for `local`.
 */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import type { Endpoint } from '../../../common/src/kube-api/types.js';
import { RouterName } from '../../../common/src/kube-api/names.js';
import { AccessType } from './link-access.js';

export type Resolution = { resolved: true; endpoints: Endpoint[] } | { resolved: false; message: string };

function hostOf(service: V1Service, type: AccessType, routerPod: V1Pod | undefined, nodePortHost: string | undefined): string | { missing: string } {
  const name = service.metadata?.name ?? '';
  switch (type) {
    case AccessType.loadbalancer: {
      const ingress = service.status?.loadBalancer?.ingress?.[0];
      const host = ingress?.ip ?? ingress?.hostname;
      return host !== undefined && host !== '' ? host : { missing: `waiting for a LoadBalancer address for Service ${name}` };
    }
    case AccessType.nodeport: {
      const host = nodePortHost ?? routerPod?.status?.hostIP;
      return host !== undefined && host !== '' ? host : { missing: `waiting for the ${RouterName} pod to be scheduled (its node's address serves the NodePorts of Service ${name})` };
    }
    case AccessType.local:
      return `${name}.${service.metadata?.namespace ?? ''}`;
  }
}

export function resolveEndpoints(service: V1Service | undefined, type: AccessType, routerPod: V1Pod | undefined, nodePortHost: string | undefined): Resolution {
  if (service === undefined) return { resolved: false, message: 'waiting for its Service to be created' };
  const host = hostOf(service, type, routerPod, nodePortHost);
  if (typeof host !== 'string') return { resolved: false, message: host.missing };
  const endpoints: Endpoint[] = [];
  for (const port of service.spec?.ports ?? []) {
    const number = type === AccessType.nodeport ? port.nodePort : port.port;
    if (number === undefined) return { resolved: false, message: `waiting for a NodePort for port ${port.name ?? port.port} of Service ${service.metadata?.name ?? ''}` };
    endpoints.push({ name: port.name ?? String(port.port), host, port: String(number), group: RouterName });
  }
  return { resolved: true, endpoints };
}
