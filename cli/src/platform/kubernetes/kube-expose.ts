/**
 * `skiff expose KIND NAME` on a Kubernetes site: the Listeners and Connectors of ADR 0005
 * (common/src/kube-api/exposure.ts), made by the CLI; the service-controller turns them into router
 * bridges and a Service, and service sync announces the address to the other sites.
 */
import { ApiException } from '@kubernetes/client-node';
import { ExposedBy, exposureConnectors, exposureListeners, type Exposure, type PortMapping } from '../../../../common/src/kube-api/exposure.js';
import { Annotation } from '../../../../common/src/kube-api/names.js';
import { isDnsLabel } from '../../arg-parsers.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, ErrorCode, usage } from '../../errors.js';
import { emit } from '../../output.js';
import type { KubeClient } from './kube-client.js';
import { kubeError } from './kube-errors.js';
import { resolveTarget, type ExposureSubject, type ResolvedTarget } from './kube-exposure-target.js';
import { kubeClient, requireSite } from './kube-site.js';
import { assertAddressFree, createAll, serviceObjects, siteApplies } from './kube-service-objects.js';

export interface KubeExposeRequest {
  subject: ExposureSubject;
  /** From --port; undefined: the target's own ports. */
  ports: PortMapping[] | undefined;
  address: string | undefined;
}

export async function kubeExpose(deps: CliDeps, global: GlobalOptions, request: KubeExposeRequest): Promise<void> {
  const { subject } = request;
  const client = kubeClient(deps, global);
  const site = await requireSite(client);
  const address = addressOf(request);
  assertAddressFree(site, await serviceObjects(client), address);
  const resolved = await resolveTarget(client, subject, address);
  const ports = portsOf(request, resolved);
  if (!resolved.takeOver) await assertNoForeignService(client, address);
  const exposure: Exposure = { namespace: client.namespace, address, ports, target: resolved.target, exposedBy: ExposedBy.cli, takeOverService: resolved.takeOver };
  const listeners = exposureListeners(exposure);
  const connectors = exposureConnectors(exposure);
  await createAll(client, [...listeners, ...connectors], (name) =>
    new CliError(ErrorCode.SKIFF_ERR_SERVICE_EXISTS, `a Listener or Connector named ${name} already exists in namespace ${client.namespace}`, `choose another --address, or delete it with kubectl`),
  );
  const applied = siteApplies(site);
  const mapping = ports.map((p) => (p.port === p.targetPort ? `${p.port}` : `${p.port}:${p.targetPort}`)).join(', ');
  const text = [`${subject.kind} ${subject.name} exposed as ${address} (port${ports.length === 1 ? '' : 's'} ${mapping})${resolved.takeOver ? `; Service ${address} now leads to the router and is restored on unexpose` : ''}`];
  if (subject.kind === 'host') {
    // The local sites' shape: one port.
    emit(deps, global, { text, json: { site: site.metadata.name, address, host: subject.name, port: ports[0]?.port ?? 0, applied } });
    return;
  }
  emit(deps, global, {
    text,
    json: { site: site.metadata.name, address, target: `${subject.kind}/${subject.name}`, ports, listeners: listeners.map((l) => l.metadata.name), connectors: connectors.map((c) => c.metadata.name), applied },
  });
}

function addressOf({ subject, address }: KubeExposeRequest): string {
  if (address !== undefined) return address;
  if (subject.kind !== 'pods' && isDnsLabel(subject.name)) return subject.name;
  throw usage(`'${subject.name}' cannot be an address`, 'name one with --address NAME');
}

/** --port as given (on a Service, `P` alone takes port P's own target port), else the target's ports. */
function portsOf(request: KubeExposeRequest, resolved: ResolvedTarget): PortMapping[] {
  const given = request.ports?.map((p) => (p.port === p.targetPort ? { port: p.port, targetPort: resolved.serviceTargetPorts.get(p.port) ?? p.port } : p));
  const ports = given ?? resolved.defaultPorts;
  if (ports.length === 0) {
    const where = request.subject.kind === 'service' ? `Service ${request.subject.name} has no TCP ports` : `the containers of ${request.subject.kind} ${request.subject.name} declare no TCP ports`;
    throw usage(`the service port cannot be deduced: ${where}`, 'give it with --port PORT (or PORT:TARGETPORT)');
  }
  return ports;
}

/** A Service named as the address that Skiff does not control would stop the Listener (ServiceConflict): say so now. */
async function assertNoForeignService(client: KubeClient, address: string): Promise<void> {
  const { namespace } = client;
  try {
    const service = await client.core.readNamespacedService({ name: address, namespace });
    if (service.metadata?.annotations?.[Annotation.controlled] === 'true') return;
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return;
    throw kubeError(error, { verb: 'get', resource: 'services', namespace, name: address }, client.target.server);
  }
  throw new CliError(ErrorCode.SKIFF_ERR_SERVICE_EXISTS,
    `a Service named ${address} already exists in namespace ${namespace}, and it is not Skiff's`,
    `'skiff expose service ${address}' takes it over (and restores it on unexpose), or choose another --address`,
  );
}
