/**
 * The cluster's names as a pod's hosts file (the test bed has no DNS server: see pod-network.ts).
 * What CoreDNS answers and kubelet writes, reduced to lines of `IP NAME…`:
 *   - a Service with a ClusterIP: `svc.ns.svc.cluster.local`, `svc.ns.svc`, `svc.ns`;
 *   - a headless Service (clusterIP None): the same names for each ready endpoint address, and
 *     `hostname.svc.ns.svc.cluster.local` … for each ready endpoint with a hostname (the
 *     EndpointSlice controller sets it for pods whose spec.subdomain names the Service, as a
 *     StatefulSet's pods; controllers may write it into slices of their own);
 *   - the pod itself, as kubelet writes it: `hostname.subdomain.ns.svc.cluster.local hostname`.
 * A hosts file cannot apply resolv.conf's search domains, so the forms a search would complete
 * for pods of the same namespace (`svc`, `hostname.svc`) are written out too.
 */
import type { V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node';

const CLUSTER_DOMAIN = 'cluster.local';

/** One address a name in a namespace resolves to. */
export interface ServiceRecord {
  namespace: string;
  /** The name inside the namespace: `svc`, or `hostname.svc` for an endpoint of a headless Service. */
  name: string;
  ip: string;
}

/** The pod a hosts file is for. */
export interface HostsPod {
  namespace: string;
  name: string;
  ip: string;
  /** spec.hostname (kubelet's default: the pod name). */
  hostname?: string | undefined;
  /** spec.subdomain: the pod's FQDN is hostname.subdomain.ns.svc.cluster.local. */
  subdomain?: string | undefined;
}

export function hostsPod(pod: V1Pod, ip: string): HostsPod {
  return {
    namespace: pod.metadata?.namespace ?? 'default',
    name: pod.metadata?.name ?? '',
    ip,
    hostname: pod.spec?.hostname,
    subdomain: pod.spec?.subdomain,
  };
}

/** The hostname a pod's containers see: spec.hostname, else the pod name (as kubelet). */
export function podHostname(pod: V1Pod): string {
  return pod.spec?.hostname || (pod.metadata?.name ?? '');
}

/** The ready IPv4 endpoints of a headless Service, from the slices labelled with its name. */
function headlessEndpoints(service: V1Service, slices: readonly V1EndpointSlice[]): { ip: string; hostname: string | undefined }[] {
  const namespace = service.metadata?.namespace;
  const name = service.metadata?.name;
  return slices
    .filter((s) => s.metadata?.namespace === namespace && s.metadata?.labels?.['kubernetes.io/service-name'] === name && s.addressType === 'IPv4')
    .flatMap((s) => s.endpoints ?? [])
    // A nil ready condition means ready (EndpointSlice API contract); CoreDNS leaves out the others.
    .filter((e) => e.conditions?.ready !== false)
    .flatMap((e) => e.addresses.map((ip) => ({ ip, hostname: e.hostname })));
}

/** Every name the cluster's Services give, with its address. */
export function serviceRecords(services: readonly V1Service[], slices: readonly V1EndpointSlice[]): ServiceRecord[] {
  const records: ServiceRecord[] = [];
  for (const service of services) {
    const namespace = service.metadata?.namespace ?? '';
    const name = service.metadata?.name ?? '';
    const clusterIp = service.spec?.clusterIP;
    if (clusterIp === 'None') {
      for (const endpoint of headlessEndpoints(service, slices)) {
        records.push({ namespace, name, ip: endpoint.ip });
        if (endpoint.hostname) records.push({ namespace, name: `${endpoint.hostname}.${name}`, ip: endpoint.ip });
      }
    } else if (clusterIp) {
      records.push({ namespace, name, ip: clusterIp });
    }
  }
  return records;
}

/** The names of `relative` in `namespace`, as a pod of `podNamespace` may write them. */
function qualified(relative: string, namespace: string, podNamespace: string): string[] {
  const names = [`${relative}.${namespace}.svc.${CLUSTER_DOMAIN}`, `${relative}.${namespace}.svc`, `${relative}.${namespace}`];
  if (namespace === podNamespace) names.push(relative);
  return names;
}

export function renderHosts(pod: HostsPod, records: readonly ServiceRecord[]): string {
  const hostname = pod.hostname || pod.name;
  const self = pod.subdomain ? `${hostname}.${pod.subdomain}.${pod.namespace}.svc.${CLUSTER_DOMAIN}\t${hostname}` : hostname;
  const lines = ['127.0.0.1\tlocalhost', `${pod.ip}\t${self}`];
  for (const r of records) lines.push(`${r.ip}\t${qualified(r.name, r.namespace, pod.namespace).join(' ')}`);
  return lines.join('\n') + '\n';
}
