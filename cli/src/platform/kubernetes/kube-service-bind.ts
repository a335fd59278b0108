/**
 * `skiff service bind NAME host HOST --port P` and `service unbind NAME host HOST` on a Kubernetes
 * site: a Connector from the service's routing key to HOST:P, beside any the service has, for a
 * service this site knows (defined here or synced); and its removal. A service with several ports
 * is bound one port at a time: P names the service port, and HOST serves it on the same port.
 */
import { ExposedBy, exposureConnectors, type PortMapping } from '../../../../common/src/kube-api/exposure.js';
import { Label } from '../../../../common/src/kube-api/names.js';
import type { Connector } from '../../../../common/src/kube-api/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, ErrorCode, usage } from '../../errors.js';
import { emit } from '../../output.js';
import { kubeClient, requireSite } from './kube-site.js';
import { connectorAddress, createAll, deleteAll, listenerAddress, serviceObjects, siteApplies } from './kube-service-objects.js';

export async function kubeServiceBind(deps: CliDeps, global: GlobalOptions, name: string, host: string, port: number): Promise<void> {
  const client = kubeClient(deps, global);
  const site = await requireSite(client);
  const objects = await serviceObjects(client);
  const ports = [...new Set(objects.listeners.filter((l) => listenerAddress(l) === name).map((l) => l.spec?.port ?? 0))].sort((a, b) => a - b);
  if (ports.length === 0) throw unknownService(name, site.metadata.name, client.namespace);
  if (ports.length > 1 && !ports.includes(port)) throw usage(`service '${name}' has ports ${ports.join(', ')}, and --port ${port} is none of them`, `bind one port at a time: --port ${ports[0] ?? ''}`);
  const mappings: PortMapping[] = ports.length === 1 ? [{ port: ports[0] ?? port, targetPort: port }] : ports.map((p) => ({ port: p, targetPort: p }));
  const connector = exposureConnectors({ namespace: client.namespace, address: name, ports: mappings, target: { host }, exposedBy: ExposedBy.cli })
    .filter((c) => c.spec?.port === port)
    .map((c): Connector => ({ ...c, metadata: { ...c.metadata, name: `${c.metadata.name}-${nameSafe(host)}` } }));
  const exists = (): CliError => new CliError(ErrorCode.SKIFF_ERR_TARGET_EXISTS, `service '${name}' already has target ${host}:${port}`, 'nothing to do; another host or port');
  if (objects.connectors.some((c) => c.spec?.routingKey === connector[0]?.spec?.routingKey && c.spec?.host === host && c.spec.port === port)) throw exists();
  await createAll(client, connector, exists);
  emit(deps, global, {
    text: [`host ${host}:${port} bound to service ${name}`],
    json: { site: site.metadata.name, service: name, host, port, applied: siteApplies(site) },
  });
}

export async function kubeServiceUnbind(deps: CliDeps, global: GlobalOptions, name: string, host: string): Promise<void> {
  const client = kubeClient(deps, global);
  const site = await requireSite(client);
  const objects = await serviceObjects(client);
  if (!objects.listeners.some((l) => listenerAddress(l) === name) && !objects.connectors.some((c) => connectorAddress(c) === name)) throw unknownService(name, site.metadata.name, client.namespace);
  const gone = objects.connectors.filter((c) => connectorAddress(c) === name && c.spec?.host === host && c.metadata.labels?.[Label.exposedBy] === ExposedBy.cli);
  if (gone.length === 0) {
    throw new CliError(ErrorCode.SKIFF_ERR_TARGET_NOT_FOUND, `host ${host} is not a target of service '${name}' on site '${site.metadata.name}'`, `'skiff service status -n ${client.namespace}' lists the targets`);
  }
  await deleteAll(client, gone);
  emit(deps, global, {
    text: [`host ${host} unbound from service ${name}`],
    json: { site: site.metadata.name, service: name, host, ports: gone.map((c) => c.spec?.port ?? 0), applied: siteApplies(site) },
  });
}

function unknownService(name: string, site: string, namespace: string): CliError {
  return new CliError(ErrorCode.SKIFF_ERR_SERVICE_NOT_FOUND, `no service '${name}' on site '${site}'`, `'skiff service status -n ${namespace}' lists them; 'skiff service create ${name} PORT -n ${namespace}' defines one`);
}

/** A host as part of an object name: lower case, anything but letters, digits, '-' and '.' as '-'. */
function nameSafe(host: string): string {
  return host.toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[.-]+|[.-]+$/g, '');
}
