/**
 * The Listeners and Connectors of a v1-style exposure (ADR 0005): `skiff expose`, `skiff service
 * create` and the `skupper.io/proxy` annotations all end as these objects, built here and nowhere
 * else. An exposure is a service address, its ports (service port → target port) and at most one
 * target (pods by selector, or a host); without a target it is listeners only.
 */
import { Annotation, Label, PART_OF, serviceRoutingKey, ServiceSyncRole } from './names.js';
import { API_VERSION, type Connector, type Listener, type ObjectMeta, type OwnerReference } from './types.js';

/** Service port `port` (what clients connect to) leads to `targetPort` on the target. */
export interface PortMapping {
  port: number;
  targetPort: number;
}

export type ExposureTarget = { selector: string } | { host: string };

/** Who made an exposure: the `skiff.io/exposed-by` label's values. */
export const ExposedBy = { cli: 'skiff-cli', annotation: 'annotation' } as const;
export type ExposedBy = (typeof ExposedBy)[keyof typeof ExposedBy];

/** `app.kubernetes.io/managed-by` of the objects of each producer. */
const MANAGER: Record<ExposedBy, string> = { [ExposedBy.cli]: 'skiff-cli', [ExposedBy.annotation]: 'skiff-service-controller' };

export interface Exposure {
  namespace: string;
  /** The service address: Listener host (the Service clients call) and routing key base. */
  address: string;
  ports: readonly PortMapping[];
  target?: ExposureTarget;
  exposedBy: ExposedBy;
  /** The Listeners may take over a Service named `address` that Skiff does not own (`expose service/X` as X). */
  takeOverService?: boolean;
  /** The object the exposure belongs to (the annotated Deployment, StatefulSet or Service). */
  owner?: OwnerReference;
}

/** Name of the Listener and Connector of port `port`: the address itself for one port, `A-p` for several. */
export function exposureObjectName(address: string, port: number, portCount: number): string {
  return portCount === 1 ? address : `${address}-${port}`;
}

export function exposureListeners(exposure: Exposure): Listener[] {
  const { address, ports } = exposure;
  return ports.map(({ port }) => ({
    apiVersion: API_VERSION,
    kind: 'Listener',
    metadata: metadata(exposure, port, { [Label.serviceSync]: ServiceSyncRole.announce }, exposure.takeOverService === true ? { [Annotation.takeOverService]: 'true' } : {}),
    spec: { routingKey: serviceRoutingKey(address, port, ports.length), host: address, port },
  }));
}

/** One Connector per port, or none when the exposure has no target. */
export function exposureConnectors(exposure: Exposure): Connector[] {
  const { address, ports, target } = exposure;
  if (target === undefined) return [];
  return ports.map(({ port, targetPort }) => ({
    apiVersion: API_VERSION,
    kind: 'Connector',
    metadata: metadata(exposure, port, {}, {}),
    spec: { routingKey: serviceRoutingKey(address, port, ports.length), port: targetPort, ...target },
  }));
}

function metadata(exposure: Exposure, port: number, labels: Record<string, string>, annotations: Record<string, string>): ObjectMeta {
  return {
    name: exposureObjectName(exposure.address, port, exposure.ports.length),
    namespace: exposure.namespace,
    labels: { [Label.partOf]: PART_OF, [Label.managedBy]: MANAGER[exposure.exposedBy], ...labels, [Label.address]: exposure.address, [Label.exposedBy]: exposure.exposedBy },
    ...(Object.keys(annotations).length === 0 ? {} : { annotations }),
    ...(exposure.owner === undefined ? {} : { ownerReferences: [exposure.owner] }),
  };
}

/** A port list that does not parse; the message names the bad part. */
export class PortMappingError extends Error {
  override readonly name = 'PortMappingError';
}

/**
 * Ports as `skupper.io/port` and `--port` write them: `p` or `p:t`, comma-separated (`8080`,
 * `8080:9090,9000`). Every port is 1-65535 and a service port appears once.
 */
export function parsePortMappings(text: string): PortMapping[] {
  const mappings = text.split(',').map((part) => parseMapping(part.trim()));
  const seen = new Set<number>();
  for (const { port } of mappings) {
    if (seen.has(port)) throw new PortMappingError(`port ${port} is given twice`);
    seen.add(port);
  }
  return mappings;
}

function parseMapping(part: string): PortMapping {
  const match = /^(\d+)(?::(\d+))?$/.exec(part);
  if (match === null) throw new PortMappingError(`'${part}' is not a port or port:targetPort`);
  const port = portNumber(match[1] ?? '');
  return { port, targetPort: match[2] === undefined ? port : portNumber(match[2]) };
}

function portNumber(digits: string): number {
  const port = Number(digits);
  if (port < 1 || port > 65535) throw new PortMappingError(`${digits} is not a port (1-65535)`);
  return port;
}

/** The part of a container the default ports come from. */
export interface ContainerPorts {
  ports?: { containerPort: number; protocol?: string }[];
}

/** Default ports of a workload: its containers' TCP ports, each mapped to itself, in order, once each. */
export function containerPortMappings(containers: readonly ContainerPorts[]): PortMapping[] {
  const ports = containers.flatMap((c) => c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort);
  return [...new Set(ports)].map((port) => ({ port, targetPort: port }));
}

/** The part of a Service port the default ports come from. */
export interface ServicePortLike {
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

/**
 * Default ports of a Service: its TCP ports, each to its target port. A named target port is
 * resolved by `namedPort` (from the pods' containers); undefined when it cannot be.
 */
export function servicePortMappings(ports: readonly ServicePortLike[], namedPort: (name: string) => number | undefined): PortMapping[] {
  return ports
    .filter((p) => (p.protocol ?? 'TCP') === 'TCP')
    .map((p) => {
      const target = p.targetPort ?? p.port;
      const targetPort = typeof target === 'number' ? target : /^\d+$/.test(target) ? Number(target) : namedPort(target);
      if (targetPort === undefined) throw new PortMappingError(`target port '${String(target)}' of port ${p.port} names no container port of the Service's pods`);
      return { port: p.port, targetPort };
    });
}

/** A workload's `spec.selector` (metav1.LabelSelector). */
export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const OPERATOR: Record<string, (key: string, values: string) => string> = {
  In: (key, values) => `${key} in (${values})`,
  NotIn: (key, values) => `${key} notin (${values})`,
  Exists: (key) => key,
  DoesNotExist: (key) => `!${key}`,
};

/** A label selector as a Connector's `selector` text: labels in key order (`app=hello,tier=web`), then expressions. */
export function selectorText(selector: LabelSelectorLike | undefined): string {
  const labels = selector?.matchLabels ?? {};
  const terms = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key] ?? ''}`);
  for (const e of selector?.matchExpressions ?? []) {
    const term = OPERATOR[e.operator];
    if (term === undefined) throw new Error(`unknown label selector operator '${e.operator}'`);
    terms.push(term(e.key, (e.values ?? []).join(',')));
  }
  return terms.join(',');
}

/** The part of a Service its own target comes from. */
export interface ServiceLike {
  metadata?: { annotations?: Record<string, string> };
  spec?: { selector?: Record<string, string>; ports?: ServicePortLike[] };
}

/**
 * A Service's own selector (as text; empty when it selects nothing) and ports: those saved in
 * annotations while Skiff has taken it over, else its spec.
 */
export function serviceOwnTarget(service: ServiceLike): { selector: string; ports: ServicePortLike[] } {
  const saved = service.metadata?.annotations ?? {};
  const selector = saved[Annotation.originalSelector];
  const ports = saved[Annotation.originalPorts];
  return {
    selector: selectorText({ matchLabels: selector === undefined ? (service.spec?.selector ?? {}) : ((JSON.parse(selector) as Record<string, string> | null) ?? {}) }),
    ports: ports === undefined ? (service.spec?.ports ?? []) : (JSON.parse(ports) as ServicePortLike[]),
  };
}
