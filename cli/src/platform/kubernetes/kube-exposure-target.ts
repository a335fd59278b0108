/**
 * What `skiff expose KIND NAME` exposes on a Kubernetes site: the pods a Deployment, StatefulSet or
 * Service selects (or a label selector's pods), and the ports they default to (the containers', or
 * the Service's own). A Service exposed under its own name is taken over: the Connector selects the
 * Service's own pods with its own target ports, as they were before any take-over.
 */
import { ApiException, AppsV1Api, type V1LabelSelector, type V1PodSpec, type V1Service } from '@kubernetes/client-node';
import { containerPortMappings, PortMappingError, selectorOf, servicePortMappings, type ExposureTarget, type PortMapping, type ServicePortLike } from '../../../../common/src/kube-api/exposure.js';
import { Annotation } from '../../../../common/src/kube-api/names.js';
import { ErrorCode, notFound, usage } from '../../errors.js';
import type { KubeClient } from './kube-client.js';
import { kubeError, type KubeAction } from './kube-errors.js';

export const ExposeKinds = ['deployment', 'statefulset', 'service', 'pods'] as const;
export type ExposeKind = (typeof ExposeKinds)[number];

export interface ExposureSubject {
  kind: ExposeKind | 'host';
  /** The object's name; for `pods`, the label selector; for `host`, the host. */
  name: string;
}

export interface ResolvedTarget {
  target: ExposureTarget;
  /** The ports when --port is not given. */
  defaultPorts: PortMapping[];
  /** `expose service/X` as X: the Listener takes X over. */
  takeOver: boolean;
  /** The Service's own port → target port (service targets only), for `--port P` without a target port. */
  serviceTargetPorts: ReadonlyMap<number, number>;
}

export async function resolveTarget(client: KubeClient, subject: ExposureSubject, address: string): Promise<ResolvedTarget> {
  switch (subject.kind) {
    case 'host':
      return { target: { host: subject.name }, defaultPorts: [], takeOver: false, serviceTargetPorts: new Map() };
    case 'deployment':
    case 'statefulset':
      return workloadTarget(client, subject);
    case 'service':
      return serviceTarget(client, subject.name, address);
    case 'pods':
      return { target: { selector: subject.name }, defaultPorts: containerPortMappings((await podSpecs(client, subject.name))[0]?.containers ?? []), takeOver: false, serviceTargetPorts: new Map() };
  }
}

async function workloadTarget(client: KubeClient, subject: ExposureSubject): Promise<ResolvedTarget> {
  const { namespace } = client;
  const apps = client.target.kc.makeApiClient(AppsV1Api);
  const kindName = subject.kind === 'deployment' ? 'Deployment' : 'StatefulSet';
  const resource = subject.kind === 'deployment' ? 'deployments.apps' : 'statefulsets.apps';
  const workload = await readOrMissing(client, { verb: 'get', resource, namespace, name: subject.name }, kindName, () =>
    subject.kind === 'deployment' ? apps.readNamespacedDeployment({ name: subject.name, namespace }) : apps.readNamespacedStatefulSet({ name: subject.name, namespace }),
  );
  const selector = workloadSelector(kindName, subject.name, workload.spec?.selector);
  return { target: { selector }, defaultPorts: containerPortMappings(workload.spec?.template.spec?.containers ?? []), takeOver: false, serviceTargetPorts: new Map() };
}

function workloadSelector(kind: string, name: string, selector: V1LabelSelector | undefined): string {
  if ((selector?.matchExpressions ?? []).length > 0 || Object.keys(selector?.matchLabels ?? {}).length === 0) {
    throw usage(`${kind} ${name} selects its pods with matchExpressions, which a Connector's selector cannot say`, `expose its pods by labels instead: 'skiff expose pods --selector KEY=VALUE --address ${name} --port P'`);
  }
  return selectorOf(selector?.matchLabels ?? {});
}

async function serviceTarget(client: KubeClient, name: string, address: string): Promise<ResolvedTarget> {
  const { namespace } = client;
  const service = await readOrMissing(client, { verb: 'get', resource: 'services', namespace, name }, 'Service', () => client.core.readNamespacedService({ name, namespace }));
  const takeOver = address === name;
  const own = ownSelectorAndPorts(service);
  const selector = own.selector === undefined || Object.keys(own.selector).length === 0 ? undefined : selectorOf(own.selector);
  if (selector === undefined) {
    if (takeOver) throw usage(`Service ${name} selects no pods, so there is nothing to take over`, `expose it under another name: 'skiff expose service ${name} --address ${name}-x'`);
    // A Service without a selector (endpoints of its own): connect to its name.
    const ports = own.ports.map((p) => ({ port: p.port, targetPort: p.port }));
    return { target: { host: name }, defaultPorts: ports, takeOver, serviceTargetPorts: new Map(ports.map((p) => [p.port, p.port])) };
  }
  const named = await namedPorts(client, selector);
  let defaultPorts: PortMapping[];
  try {
    defaultPorts = servicePortMappings(own.ports, (portName) => named.get(portName));
  } catch (error) {
    if (error instanceof PortMappingError) throw usage(`Service ${name}: ${error.message}`, 'give the ports with --port PORT:TARGETPORT');
    throw error;
  }
  return { target: { selector }, defaultPorts, takeOver, serviceTargetPorts: new Map(defaultPorts.map((p) => [p.port, p.targetPort])) };
}

/** The Service's selector and ports as its owner made them: saved in annotations while Skiff has taken it over. */
function ownSelectorAndPorts(service: V1Service): { selector: Record<string, string> | undefined; ports: ServicePortLike[] } {
  const saved = service.metadata?.annotations ?? {};
  const selector = saved[Annotation.originalSelector];
  const ports = saved[Annotation.originalPorts];
  return {
    selector: selector === undefined ? service.spec?.selector : (JSON.parse(selector) as Record<string, string>),
    ports: ports === undefined ? (service.spec?.ports ?? []) : (JSON.parse(ports) as ServicePortLike[]),
  };
}

/** Container port names of the selected pods, for Services whose target ports are names. */
async function namedPorts(client: KubeClient, selector: string): Promise<Map<string, number>> {
  const ports = (await podSpecs(client, selector)).flatMap((spec) => spec.containers.flatMap((c) => c.ports ?? []));
  return new Map(ports.filter((p) => p.name !== undefined).map((p) => [p.name ?? '', p.containerPort]));
}

async function podSpecs(client: KubeClient, labelSelector: string): Promise<V1PodSpec[]> {
  const { namespace } = client;
  const pods = await client.call({ verb: 'list', resource: 'pods', namespace }, () => client.core.listNamespacedPod({ namespace, labelSelector }));
  return pods.items.flatMap((pod) => (pod.spec === undefined ? [] : [pod.spec]));
}

async function readOrMissing<T>(client: KubeClient, action: KubeAction & { name: string }, kind: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) {
      const plural = action.resource.split('.')[0] ?? action.resource;
      throw notFound(ErrorCode.SKIFF_ERR_TARGET_NOT_FOUND, `no ${kind} named "${action.name}" in namespace ${action.namespace}`, `'kubectl get ${plural} -n ${action.namespace}' lists them; create it first, or check the name and -n`);
    }
    throw kubeError(error, action, client.target.server);
  }
}
