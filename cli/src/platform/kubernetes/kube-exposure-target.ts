/**
 * What `skiff expose KIND NAME` exposes on a Kubernetes site: the pods a Deployment, StatefulSet or
 * Service selects (or a label selector's pods), and the ports they default to (the containers', or
 * the Service's own). A Service exposed under its own name is taken over: the Connector selects the
 * Service's own pods with its own target ports, as they were before any take-over.
 */
import { ApiException, AppsV1Api, type V1PodSpec } from '@kubernetes/client-node';
import { apiClient } from '../../../../common/src/kube-api/api-client.js';
import { containerPortMappings, PortMappingError, selectorText, serviceOwnTarget, servicePortMappings, type ExposureTarget, type PortMapping } from '../../../../common/src/kube-api/exposure.js';
import { CliError, ErrorCode, usage } from '../../errors.js';
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
  const apps = apiClient(client.target.kc, AppsV1Api);
  const kindName = subject.kind === 'deployment' ? 'Deployment' : 'StatefulSet';
  const resource = subject.kind === 'deployment' ? 'deployments.apps' : 'statefulsets.apps';
  const workload = await readOrMissing(client, { verb: 'get', resource, namespace, name: subject.name }, kindName, () =>
    subject.kind === 'deployment' ? apps.readNamespacedDeployment({ name: subject.name, namespace }) : apps.readNamespacedStatefulSet({ name: subject.name, namespace }),
  );
  const selector = selectorText(workload.spec?.selector);
  if (selector === '') throw usage(`${kindName} ${subject.name} has an empty selector`, `expose its pods by labels: 'skiff expose pods --selector KEY=VALUE --address ${subject.name}'`);
  return { target: { selector }, defaultPorts: containerPortMappings(workload.spec?.template.spec?.containers ?? []), takeOver: false, serviceTargetPorts: new Map() };
}

async function serviceTarget(client: KubeClient, name: string, address: string): Promise<ResolvedTarget> {
  const { namespace } = client;
  const service = await readOrMissing(client, { verb: 'get', resource: 'services', namespace, name }, 'Service', () => client.core.readNamespacedService({ name, namespace }));
  const takeOver = address === name;
  const own = serviceOwnTarget(service);
  const { selector } = own;
  if (selector === '') {
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
      throw new CliError(ErrorCode.SKIFF_ERR_TARGET_NOT_FOUND, `no ${kind} named "${action.name}" in namespace ${action.namespace}`, `'kubectl get ${plural} -n ${action.namespace}' lists them; create it first, or check the name and -n`);
    }
    throw kubeError(error, action, client.target.server);
  }
}
