/**
 * A StatefulSet exposed per pod (ADR 0005, "Headless StatefulSets"): at the origin, one Connector
 * per pod and port, each selecting only that pod, with the routing key of the pod's own address
 * (`db-N`, or `db-N:p` for several ports). The Connectors carry the definition service sync
 * announces (annotation `skiff.io/headless`, the definition's JSON), so they are all the origin needs. Built on exposure.ts, so names and routing keys
 * are those of an ordinary exposure whose address is the pod's.
 */
import { definitionsFrom, type ServiceDefinition } from '../site-sync/service-definition.js';
import { exposureConnectors, type ExposedBy, type PortMapping } from './exposure.js';
import { Annotation, Label, ServiceSyncRole } from './names.js';
import type { Connector, ObjectMeta } from './types.js';

/** The label the StatefulSet controller puts on each of its pods, with the pod's name. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';

export interface HeadlessExposure {
  namespace: string;
  /** The StatefulSet's governing Service: the service address, and the pods' subdomain. */
  address: string;
  /** The StatefulSet: its pods are `<statefulSet>-N`. */
  statefulSet: string;
  /** Pods 0 … size-1. */
  size: number;
  ports: readonly PortMapping[];
  exposedBy: ExposedBy;
}

/** Pod N of a StatefulSet: its name, its hostname, and its routing address. */
export function podAddress(statefulSet: string, ordinal: number): string {
  return `${statefulSet}-${ordinal}`;
}

export function headlessConnectors(exposure: HeadlessExposure): Connector[] {
  const definition: ServiceDefinition = {
    address: exposure.address,
    protocol: 'tcp',
    ports: exposure.ports.map((p) => p.port),
    headless: { name: exposure.statefulSet, size: exposure.size, ports: exposure.ports.map((p) => p.targetPort) },
  };
  return Array.from({ length: exposure.size }, (_, ordinal) => podAddress(exposure.statefulSet, ordinal)).flatMap((pod) =>
    exposureConnectors({ namespace: exposure.namespace, address: pod, ports: exposure.ports, target: { selector: `${POD_NAME_LABEL}=${pod}` }, exposedBy: exposure.exposedBy }).map(
      (connector) => ({
        ...connector,
        metadata: {
          ...connector.metadata,
          labels: { ...connector.metadata.labels, ...headlessLabels(exposure.address), [Label.serviceSync]: ServiceSyncRole.announce },
          annotations: { ...connector.metadata.annotations, [Annotation.headless]: JSON.stringify(definition) },
        },
      }),
    ),
  );
}

/** Labels of every per-pod object of the headless service `address` (the governing Service's name). */
export function headlessLabels(address: string): Record<string, string> {
  return { [Label.address]: address, [Label.headless]: address };
}

/** The headless definition a per-pod object carries; undefined when it carries none, or a malformed one. */
export function headlessDefinitionOf(metadata: ObjectMeta): ServiceDefinition | undefined {
  const text = metadata.annotations?.[Annotation.headless];
  if (text === undefined) return undefined;
  try {
    const [definition] = definitionsFrom([JSON.parse(text)]);
    return definition?.headless === undefined ? undefined : definition;
  } catch {
    return undefined;
  }
}
