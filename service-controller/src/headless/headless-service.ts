/**
 * The headless Service of per-pod Listeners (ADR 0005, pure): for the Listeners labelled
 * `skiff.io/headless: A` (one per pod `S-N` of a StatefulSet elsewhere, host `S-N`), a Service `A`
 * with clusterIP None and no selector, and an EndpointSlice `A` whose endpoints are the ClusterIPs
 * of the Listeners' own Services, each under the hostname `S-N`. CoreDNS (and the test bed's hosts
 * files) then answer `S-N.A.<ns>.svc.cluster.local` with the ClusterIP that leads to the router and
 * on to pod N. Both are owned by every such Listener (not as controller), so they go with the last.
 */
import type { V1EndpointSlice, V1OwnerReference, V1Service } from '@kubernetes/client-node';
import { Annotation, EndpointSliceManager, Label, PART_OF } from '../../../common/src/kube-api/names.js';
import { API_VERSION, type Listener } from '../../../common/src/kube-api/types.js';
import { serviceState } from '../desired/listener-service.js';
import { SERVICE_CONTROLLER } from '../settings.js';

export interface HeadlessObjects {
  service: V1Service;
  slice: V1EndpointSlice;
}

/** The name of the headless Service a Listener belongs to, if it is a per-pod one. */
export function headlessServiceOf(listener: { metadata?: { labels?: Record<string, string> } }): string | undefined {
  return listener.metadata?.labels?.[Label.headless];
}

/** Whether a Service is the headless Service Skiff made as `name`. */
export function isHeadlessService(service: V1Service | undefined, name: string): boolean {
  return service?.metadata?.labels?.[Label.headlessService] === name;
}

function owners(listeners: readonly Listener[]): V1OwnerReference[] {
  return listeners
    .map((l) => ({ apiVersion: API_VERSION, kind: 'Listener', name: l.metadata.name, uid: l.metadata.uid ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** One port per distinct Listener port, named as the Listener Services name theirs. */
function ports(listeners: readonly Listener[]): { name: string; port: number; protocol: 'TCP' }[] {
  return [...new Set(listeners.map((l) => l.spec?.port ?? 0))].sort((a, b) => a - b).map((port) => ({ name: `port-${port}`, port, protocol: 'TCP' }));
}

/** Pod hosts in ordinal order (`db-2` before `db-10`). */
function byOrdinal(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * The headless Service and EndpointSlice `name` for `listeners` (valid, live, labelled with `name`).
 * `services` are the namespace's Services: a host without its own Skiff Service (not made yet, or
 * someone else's) has no endpoint.
 */
export function headlessObjects(name: string, namespace: string, listeners: readonly Listener[], services: ReadonlyMap<string, V1Service>): HeadlessObjects {
  const labels = { [Label.partOf]: PART_OF, [Label.managedBy]: SERVICE_CONTROLLER, [Label.headlessService]: name };
  const ownerReferences = owners(listeners);
  const servicePorts = ports(listeners);
  const hosts = [...new Set(listeners.map((l) => l.spec?.host ?? ''))].sort(byOrdinal);
  const endpoints = hosts.flatMap((host) => {
    const own = services.get(host);
    const state = serviceState(own, host);
    const clusterIp = own?.spec?.clusterIP;
    if ((state !== 'ours' && state !== 'takenOver') || clusterIp === undefined || clusterIp === '' || clusterIp === 'None') return [];
    return [{ addresses: [clusterIp], hostname: host, conditions: { ready: true } }];
  });
  return {
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels, annotations: { [Annotation.controlled]: 'true' }, ownerReferences },
      spec: { clusterIP: 'None', ports: servicePorts.map((p) => ({ ...p, targetPort: p.port })) },
    },
    slice: {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name,
        namespace,
        labels: { ...labels, 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': EndpointSliceManager },
        ownerReferences,
      },
      addressType: 'IPv4',
      endpoints,
      ports: servicePorts,
    },
  };
}
