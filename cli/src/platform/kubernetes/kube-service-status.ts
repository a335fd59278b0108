/**
 * The services a Kubernetes site knows, in the local sites' shape (`KnownService`): one per
 * Listener (address, the Service name and port clients use here, origin: this site or the site
 * service sync names), with the targets this site's Connectors reach for its routing key (the
 * selected pods the controller reports, or the Connector's host). A Connector whose routing key no
 * Listener here has is listed too, unbound.
 */
import { Annotation } from '../../../../common/src/kube-api/names.js';
import type { Connector, Listener, Site } from '../../../../common/src/kube-api/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import type { KnownService, ServiceTarget } from '../../sync/service-catalog.js';
import { kubeClient, requireSite } from './kube-site.js';
import { connectorAddress, isSynced, listenerAddress, serviceObjects, type ServiceObjects } from './kube-service-objects.js';

/** `skiff service status` on Kubernetes: the site's name and the services it knows. */
export async function kubeServices(deps: CliDeps, global: GlobalOptions): Promise<{ site: string; services: KnownService[] }> {
  const client = kubeClient(deps, global);
  const site = await requireSite(client);
  return { site: site.metadata.name, services: kubeKnownServices(site, await serviceObjects(client)) };
}

export function kubeKnownServices(site: Site, objects: ServiceObjects): KnownService[] {
  const targetsOf = (routingKey: string): ServiceTarget[] => objects.connectors.filter((c) => c.spec?.routingKey === routingKey).flatMap(connectorTargets);
  const listened = new Set(objects.listeners.map((l) => l.spec?.routingKey));
  const own = { originSiteId: site.metadata.uid ?? '', originSiteName: site.metadata.name };
  const listeners = objects.listeners.map(
    (l): KnownService => ({
      address: listenerAddress(l),
      protocol: 'tcp',
      host: l.spec?.host ?? '',
      port: l.spec?.port ?? null,
      ...origin(l, own),
      targets: targetsOf(l.spec?.routingKey ?? ''),
    }),
  );
  const unbound = objects.connectors
    .filter((c) => !listened.has(c.spec?.routingKey))
    .map((c): KnownService => ({ address: connectorAddress(c), protocol: 'tcp', host: '', port: null, origin: 'local', ...own, targets: connectorTargets(c) }));
  return [...listeners, ...unbound].sort((a, b) => a.address.localeCompare(b.address) || (a.port ?? 0) - (b.port ?? 0));
}

function origin(listener: Listener, own: { originSiteId: string; originSiteName: string }): Pick<KnownService, 'origin' | 'originSiteId' | 'originSiteName'> {
  if (!isSynced(listener)) return { origin: 'local', ...own };
  const annotations = listener.metadata.annotations ?? {};
  const id = annotations[Annotation.originSite] ?? '';
  return { origin: 'remote', originSiteId: id, originSiteName: annotations[Annotation.originSiteName] ?? id };
}

function connectorTargets(connector: Connector): ServiceTarget[] {
  const port = connector.spec?.port ?? 0;
  if (connector.spec?.host !== undefined) return [{ host: connector.spec.host, port }];
  return (connector.status?.selectedPods ?? []).map((pod) => ({ host: pod.ip, port }));
}
