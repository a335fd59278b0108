/**
 * `skiff expose statefulset NAME --headless` on a Kubernetes site (ADR 0005, "Headless
 * StatefulSets"): one Connector per pod and port, each selecting that pod only and carrying the
 * definition service sync announces, so every linked Kubernetes site gets `NAME-N.<service>` for
 * pod N. The address is the StatefulSet's governing Service, whose ports are the default (as
 * Skupper v1), then the containers'. Exposing again follows a scale: Connectors of pods that went
 * are deleted, new pods get theirs, and the others are updated in place (no blip in what is announced).
 */
import { ApiException, AppsV1Api, CustomObjectsApi, type V1Service, type V1StatefulSet } from '@kubernetes/client-node';
import { apiClient } from '../../../../common/src/kube-api/api-client.js';
import { containerPortMappings, ExposedBy, PortMappingError, servicePortMappings, type PortMapping } from '../../../../common/src/kube-api/exposure.js';
import { headlessConnectors } from '../../../../common/src/kube-api/headless-exposure.js';
import { Label } from '../../../../common/src/kube-api/names.js';
import { GROUP, Plural, VERSION, type Connector } from '../../../../common/src/kube-api/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, ErrorCode, usage } from '../../errors.js';
import { emit } from '../../output.js';
import { resourceOf, type KubeClient } from './kube-client.js';
import { kubeError, type KubeAction } from './kube-errors.js';
import { kubeClient, requireSite } from './kube-site.js';
import { assertAddressFree, createAll, deleteAll, serviceObjects, siteApplies } from './kube-service-objects.js';

export interface KubeExposeHeadlessRequest {
  statefulSet: string;
  /** From --port; undefined: the governing Service's ports, else the containers'. */
  ports: PortMapping[] | undefined;
  address: string | undefined;
}

export async function kubeExposeHeadless(deps: CliDeps, global: GlobalOptions, request: KubeExposeHeadlessRequest): Promise<void> {
  const client = kubeClient(deps, global);
  const site = await requireSite(client);
  const name = request.statefulSet;
  const set = await statefulSet(client, name);
  const address = governingService(set, name, request.address);
  const service = await governing(client, name, address);
  const ports = portsOf(request.ports, service, set);
  const size = set.spec?.replicas ?? 1;
  if (size < 1) throw usage(`StatefulSet ${name} has 0 replicas: no pod to give a name`, `scale it up ('kubectl scale statefulset ${name} --replicas=N'), then expose it`);
  const objects = await serviceObjects(client);
  assertAddressFree(site, objects, address);
  const wanted = headlessConnectors({ namespace: client.namespace, address, statefulSet: name, size, ports, exposedBy: ExposedBy.cli });
  const existing = objects.connectors.filter((c) => c.metadata.labels?.[Label.headless] === address && c.metadata.labels[Label.exposedBy] === ExposedBy.cli);
  await converge(client, existing, wanted);
  const pods = Array.from({ length: size }, (_, n) => `${name}-${n}.${address}`);
  const mapping = ports.map((p) => (p.port === p.targetPort ? `${p.port}` : `${p.port}:${p.targetPort}`)).join(', ');
  emit(deps, global, {
    text: [`statefulset ${name} exposed as ${address}, per pod (${pods.join(', ')}; port${ports.length === 1 ? '' : 's'} ${mapping})`],
    json: { site: site.metadata.name, address, target: `statefulset/${name}`, headless: { name, size, pods }, ports, connectors: wanted.map((c) => c.metadata.name), applied: siteApplies(site) },
  });
}

async function statefulSet(client: KubeClient, name: string): Promise<V1StatefulSet> {
  const { namespace } = client;
  const apps = apiClient(client.target.kc, AppsV1Api);
  return read({ verb: 'get', resource: 'statefulsets.apps', namespace, name }, client, () => apps.readNamespacedStatefulSet({ name, namespace }), () =>
    new CliError(ErrorCode.SKIFF_ERR_TARGET_NOT_FOUND, `no StatefulSet named "${name}" in namespace ${namespace}`, `'kubectl get statefulsets -n ${namespace}' lists them; create it first, or check the name and -n`),
  );
}

/** The address: the governing Service's name, which --address may only repeat. */
function governingService(set: V1StatefulSet, name: string, given: string | undefined): string {
  const serviceName = set.spec?.serviceName ?? '';
  if (serviceName === '') throw usage(`StatefulSet ${name} names no governing Service (spec.serviceName), so its pods have no per-pod names`, `expose it without --headless, or give it a headless Service and set spec.serviceName`);
  if (given !== undefined && given !== serviceName) {
    throw usage(`--headless exposes StatefulSet ${name} as its governing Service '${serviceName}' (its pods are ${name}-N.${serviceName}), not as '${given}'`, `drop --address, or give --address ${serviceName}`);
  }
  return serviceName;
}

async function governing(client: KubeClient, name: string, service: string): Promise<V1Service> {
  const { namespace } = client;
  return read({ verb: 'get', resource: 'services', namespace, name: service }, client, () => client.core.readNamespacedService({ name: service, namespace }), () =>
    new CliError(ErrorCode.SKIFF_ERR_TARGET_NOT_FOUND, `StatefulSet ${name} is governed by Service ${service}, and there is no such Service in namespace ${namespace}`, `create it (clusterIP: None, selecting the StatefulSet's pods), then expose again`),
  );
}

/** --port as given (`P` alone takes the governing Service's target port for P), else the Service's ports, else the containers'. */
function portsOf(given: PortMapping[] | undefined, service: V1Service, set: V1StatefulSet): PortMapping[] {
  const containers = set.spec?.template.spec?.containers ?? [];
  const named = new Map(containers.flatMap((c) => c.ports ?? []).flatMap((p) => (p.name === undefined ? [] : [[p.name, p.containerPort] as const])));
  let own: PortMapping[];
  try {
    own = servicePortMappings(service.spec?.ports ?? [], (portName) => named.get(portName));
  } catch (error) {
    if (error instanceof PortMappingError) throw usage(`Service ${service.metadata?.name ?? ''}: ${error.message}`, 'give the ports with --port PORT:TARGETPORT');
    throw error;
  }
  const targets = new Map(own.map((p) => [p.port, p.targetPort]));
  const ports = given?.map((p) => (p.port === p.targetPort ? { port: p.port, targetPort: targets.get(p.port) ?? p.port } : p)) ?? (own.length > 0 ? own : containerPortMappings(containers));
  if (ports.length === 0) throw usage(`the service port cannot be deduced: Service ${service.metadata?.name ?? ''} and the StatefulSet's containers declare no TCP ports`, 'give it with --port PORT (or PORT:TARGETPORT)');
  return ports;
}

/** Makes the CLI's per-pod Connectors of the address exactly `wanted`: the gone deleted, the new created, the rest replaced. */
async function converge(client: KubeClient, existing: readonly Connector[], wanted: readonly Connector[]): Promise<void> {
  const have = new Map(existing.map((c) => [c.metadata.name, c]));
  const custom = apiClient(client.target.kc, CustomObjectsApi);
  const { namespace } = client;
  for (const connector of wanted) {
    const current = have.get(connector.metadata.name);
    if (current === undefined) continue;
    const body = { ...connector, metadata: { ...connector.metadata, resourceVersion: current.metadata.resourceVersion } };
    await client.call({ verb: 'update', resource: resourceOf('Connector'), namespace, name: connector.metadata.name }, () =>
      custom.replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Connector, name: connector.metadata.name, body }),
    );
  }
  const names = new Set(wanted.map((c) => c.metadata.name));
  await createAll(client, wanted.filter((c) => !have.has(c.metadata.name)), (name) =>
    new CliError(ErrorCode.SKIFF_ERR_SERVICE_EXISTS, `a Connector named ${name} already exists in namespace ${namespace}, and skiff expose did not make it`, `delete it with kubectl, or rename it, then expose again`),
  );
  await deleteAll(client, existing.filter((c) => !names.has(c.metadata.name)));
}

async function read<T>(action: KubeAction & { name: string }, client: KubeClient, call: () => Promise<T>, missing: () => Error): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) throw missing();
    throw kubeError(error, action, client.target.server);
  }
}
