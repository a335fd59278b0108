/**
 * `skiff service create NAME PORT` and `skiff service delete NAME` on a Kubernetes site: a service
 * defined here with no target (a Listener, announced by service sync), and its removal with every
 * Listener and Connector the CLI made for the address.
 */
import { ExposedBy, exposureListeners } from '../../../../common/src/kube-api/exposure.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { emit } from '../../output.js';
import { kubeClient, requireSite } from './kube-site.js';
import { assertAddressFree, cliObjectsOf, createAll, deleteAll, serviceObjects, siteApplies } from './kube-service-objects.js';

export async function kubeServiceCreate(deps: CliDeps, global: GlobalOptions, name: string, port: number): Promise<void> {
  const client = kubeClient(deps, global);
  const site = await requireSite(client);
  assertAddressFree(site, await serviceObjects(client), name);
  const listeners = exposureListeners({ namespace: client.namespace, address: name, ports: [{ port, targetPort: port }], exposedBy: ExposedBy.cli });
  await createAll(client, listeners, (object) => new CliError(ErrorCode.SKIFF_ERR_SERVICE_EXISTS, `a Listener named ${object} already exists in namespace ${client.namespace}`, 'choose another name'));
  emit(deps, global, {
    text: [`Service ${name} listening on port ${port} (Kubernetes Service ${name} in namespace ${client.namespace})`],
    json: { site: site.metadata.name, service: name, address: name, host: name, port, applied: siteApplies(site) },
  });
}

export async function kubeServiceDelete(deps: CliDeps, global: GlobalOptions, name: string): Promise<void> {
  const client = kubeClient(deps, global);
  const site = await requireSite(client);
  const mine = cliObjectsOf(await serviceObjects(client), name, () =>
    new CliError(ErrorCode.SKIFF_ERR_SERVICE_NOT_FOUND, `no service '${name}' defined on site '${site.metadata.name}'`, `'skiff service status -n ${client.namespace}' lists them`),
  );
  await deleteAll(client, mine);
  emit(deps, global, { text: [`Service ${name} deleted`], json: { site: site.metadata.name, service: name, deleted: true, applied: siteApplies(site) } });
}
