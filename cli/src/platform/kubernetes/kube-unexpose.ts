/**
 * `skiff unexpose KIND NAME [--address A]` on a Kubernetes site: deletes the Listeners and
 * Connectors `skiff expose` made for the address (default: the object's name). The
 * service-controller then removes the Service, or restores one it took over; service sync
 * withdraws the address from the other sites.
 */
import { ExposedBy } from '../../../../common/src/kube-api/exposure.js';
import { Label } from '../../../../common/src/kube-api/names.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, ErrorCode, usage } from '../../errors.js';
import { emit } from '../../output.js';
import type { ExposureSubject } from './kube-exposure-target.js';
import { kubeClient, requireSite } from './kube-site.js';
import { cliObjectsOf, connectorAddress, deleteAll, listenerAddress, serviceObjects, siteApplies } from './kube-service-objects.js';

export async function kubeUnexpose(deps: CliDeps, global: GlobalOptions, subject: ExposureSubject, given: string | undefined): Promise<void> {
  const client = kubeClient(deps, global);
  const site = await requireSite(client);
  if (given === undefined && subject.kind === 'pods') throw usage('unexpose pods needs the address they were exposed as', 'add --address NAME');
  const address = given ?? subject.name;
  const mine = cliObjectsOf(await serviceObjects(client), address, () =>
    new CliError(ErrorCode.SKIFF_ERR_SERVICE_NOT_FOUND, `${subject.kind} ${subject.name} is not exposed as '${address}' on site '${site.metadata.name}'`, `'skiff service status -n ${client.namespace}' lists the services; --address names another`),
  );
  await deleteAll(client, mine);
  emit(deps, global, {
    text: [`${subject.kind} ${subject.name} unexposed (${address})`],
    json: {
      site: site.metadata.name,
      address,
      target: `${subject.kind}/${subject.name}`,
      listeners: mine.filter((o) => o.kind === 'Listener').map((o) => o.metadata.name),
      connectors: mine.filter((o) => o.kind === 'Connector').map((o) => o.metadata.name),
      applied: siteApplies(site),
    },
  });
}

/**
 * `skiff unexpose host HOST [--address A]` on a Kubernetes site, as on local sites: the CLI's
 * Connectors to HOST go, and so do the CLI's Listeners of an address left without Connectors.
 */
export async function kubeUnexposeHost(deps: CliDeps, global: GlobalOptions, host: string, address: string | undefined): Promise<void> {
  const client = kubeClient(deps, global);
  const site = await requireSite(client);
  const objects = await serviceObjects(client);
  const byCli = (o: { metadata: { labels?: Record<string, string> } }): boolean => o.metadata.labels?.[Label.exposedBy] === ExposedBy.cli;
  const gone = objects.connectors.filter((c) => byCli(c) && c.spec?.host === host && (address === undefined || connectorAddress(c) === address));
  if (gone.length === 0) {
    throw new CliError(ErrorCode.SKIFF_ERR_SERVICE_NOT_FOUND, `host ${host}${address === undefined ? '' : ` as ${address}`} is not exposed on site '${site.metadata.name}'`, `'skiff service status -n ${client.namespace}' lists services and targets`);
  }
  const addresses = [...new Set(gone.map(connectorAddress))];
  const untargeted = addresses.filter((a) => objects.connectors.every((c) => gone.includes(c) || connectorAddress(c) !== a));
  const listeners = objects.listeners.filter((l) => byCli(l) && untargeted.includes(listenerAddress(l)));
  await deleteAll(client, [...gone, ...listeners]);
  emit(deps, global, { text: [`host ${host} unexposed (${addresses.join(', ')})`], json: { site: site.metadata.name, host, addresses, applied: siteApplies(site) } });
}
