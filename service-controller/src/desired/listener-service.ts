/**
 * The Service of a Listener host (ADR 0005, pure): one per host, ClusterIP, a port per Listener of
 * that host leading to its router port, selecting this site's router pods, owned by every such
 * Listener (not as controller: the Service goes with the last one). A Service of that name that
 * Skiff does not own is taken over only when a Listener asks (`skiff.io/take-over-service`): its
 * selector and ports are saved in annotations, and restored exactly when no Listener wants it.
 */
import type { V1OwnerReference, V1Service, V1ServicePort } from '@kubernetes/client-node';
import { Annotation, Label, PART_OF, RouterSelector } from '../../../common/src/kube-api/names.js';
import { API_VERSION } from '../../../common/src/kube-api/types.js';
import { SERVICE_CONTROLLER } from '../settings.js';
import type { ListenerPlan } from './listener-plan.js';

/** absent; made by Skiff; someone's, taken over by Skiff; someone's, left alone. */
export type ServiceState = 'absent' | 'ours' | 'takenOver' | 'foreign';

export function serviceState(service: V1Service | undefined, host: string): ServiceState {
  if (service === undefined) return 'absent';
  if (service.metadata?.labels?.[Label.listenerService] !== host) return 'foreign';
  return service.metadata.annotations?.[Annotation.originalSelector] === undefined ? 'ours' : 'takenOver';
}

/** Whether one of the Listeners asks to take over a Service that is not Skiff's. */
export function takeOverWanted(plans: readonly ListenerPlan[]): boolean {
  return plans.some((p) => p.listener.metadata.annotations?.[Annotation.takeOverService] === 'true');
}

export function listenerServicePorts(plans: readonly ListenerPlan[]): V1ServicePort[] {
  return plans
    .filter((p) => p.routerPort !== undefined)
    .map((p) => ({ port: p.listener.spec?.port ?? 0, routerPort: p.routerPort ?? 0 }))
    .sort((a, b) => a.port - b.port)
    .map(({ port, routerPort }) => ({ name: `port-${port}`, port, targetPort: routerPort, protocol: 'TCP' }));
}

function routerPodSelector(site: string): Record<string, string> {
  return { ...RouterSelector, [Label.site]: site };
}

function listenerOwners(plans: readonly ListenerPlan[]): V1OwnerReference[] {
  return plans
    .map(({ listener }) => ({ apiVersion: API_VERSION, kind: 'Listener', name: listener.metadata.name, uid: listener.metadata.uid ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The Service Skiff makes for `host` (applied server-side). */
export function ownedService(host: string, namespace: string, site: string, plans: readonly ListenerPlan[]): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: host,
      namespace,
      labels: { [Label.partOf]: PART_OF, [Label.managedBy]: SERVICE_CONTROLLER, [Label.site]: site, [Label.listenerService]: host },
      annotations: { [Annotation.controlled]: 'true' },
      ownerReferences: listenerOwners(plans),
    },
    spec: { type: 'ClusterIP', selector: routerPodSelector(site), ports: listenerServicePorts(plans) },
  };
}

/**
 * `existing` taken over (or kept taken over): selector and ports Skiff's, its own saved first (once:
 * a Service already taken over keeps what was saved). No owner references: deleting the Listeners
 * must not delete someone's Service; it is restored instead.
 */
export function takenOverService(existing: V1Service, site: string, plans: readonly ListenerPlan[]): V1Service {
  const annotations = existing.metadata?.annotations ?? {};
  const saved = annotations[Annotation.originalSelector] !== undefined;
  return {
    ...existing,
    metadata: {
      ...existing.metadata,
      labels: { ...existing.metadata?.labels, [Label.listenerService]: existing.metadata?.name ?? '' },
      annotations: {
        ...annotations,
        [Annotation.controlled]: 'true',
        ...(saved
          ? {}
          : { [Annotation.originalSelector]: JSON.stringify(existing.spec?.selector ?? null), [Annotation.originalPorts]: JSON.stringify(existing.spec?.ports ?? []) }),
      },
    },
    spec: { ...existing.spec, selector: routerPodSelector(site), ports: listenerServicePorts(plans) },
  };
}

/** A taken-over Service as it was: its own selector and ports back, Skiff's marks gone. */
export function restoredService(existing: V1Service): V1Service {
  const { [Annotation.originalSelector]: selectorText, [Annotation.originalPorts]: portsText, [Annotation.controlled]: _controlled, ...annotations } = existing.metadata?.annotations ?? {};
  const { [Label.listenerService]: _mark, ...labels } = existing.metadata?.labels ?? {};
  const selector = JSON.parse(selectorText ?? 'null') as Record<string, string> | null;
  const ports = JSON.parse(portsText ?? '[]') as V1ServicePort[];
  const { selector: _selector, ...spec } = existing.spec ?? {};
  return {
    ...existing,
    metadata: { ...existing.metadata, labels, annotations },
    spec: { ...spec, ...(selector === null ? {} : { selector }), ports },
  };
}

/** Whether a taken-over Service must be written to become `wanted` (selector, ports, marks). */
export function takeOverDiffers(existing: V1Service, wanted: V1Service): boolean {
  const pick = (s: V1Service) => JSON.stringify([s.spec?.selector, s.spec?.ports?.map((p) => [p.name, p.port, p.targetPort, p.protocol]), s.metadata?.labels, s.metadata?.annotations]);
  return pick(existing) !== pick(wanted);
}
