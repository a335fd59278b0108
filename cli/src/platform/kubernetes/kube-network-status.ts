/**
 * `skiff network status` on Kubernetes: the sites of Site.status.network (which the controller
 * fills from the adaptor's network status, local sites' reports included), this one first, each
 * with its links in both directions and its services, drawn as for local sites.
 */
import type { SiteRecord } from '../../../../common/src/kube-api/types.js';
import { siteNode } from '../../commands/network/site-node.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { emit } from '../../output.js';
import type { NetworkLink } from '../../sync/network-sites.js';
import { node, renderTree } from '../../text-tree.js';
import { kubeClient, requireSite } from './kube-site.js';

export interface KubeNetworkSite {
  id: string;
  name: string;
  namespace: string | null;
  platform: string | null;
  version: string | null;
  local: boolean;
  links: NetworkLink[];
  services: { address: string; listeners: string[]; connectors: string[] }[];
}

export async function kubeNetworkStatus(deps: CliDeps, global: GlobalOptions): Promise<void> {
  const client = kubeClient(deps, global);
  const site = await requireSite(client);
  const own: SiteRecord = { id: site.metadata.uid ?? '', name: site.metadata.name, namespace: client.namespace, platform: 'kubernetes' };
  const sites = networkView(own, site.status?.network ?? []);
  const tree = sites.map((s) =>
    siteNode(
      s,
      [node(`namespace: ${s.namespace ?? '-'}`), node(`platform: ${s.platform ?? 'unknown'}`), node(`version: ${s.version ?? 'unknown'}`)],
      s.links,
      s.services.map((svc) => node(`${svc.address} (listeners: ${svc.listeners.join(', ') || 'none'}; connectors: ${svc.connectors.join(', ') || 'none'})`)),
    ),
  );
  emit(deps, global, { text: ['Sites:', ...renderTree(tree)], json: { site: site.metadata.name, namespace: client.namespace, sites } });
}

/** This site first (from the network's record of it when there is one), then the others by name. */
export function networkView(own: SiteRecord, network: readonly SiteRecord[]): KubeNetworkSite[] {
  const records = [network.find((r) => r.id === own.id) ?? own, ...network.filter((r) => r.id !== own.id).sort((a, b) => a.name.localeCompare(b.name))];
  const nameOf = (id: string): string => records.find((r) => r.id === id)?.name ?? id;
  return records.map((record) => {
    const outgoing = (record.links ?? []).map((l): NetworkLink => ({ name: l.name, direction: 'outgoing', remoteSiteId: l.remoteSiteId, remoteSiteName: l.remoteSiteName ?? nameOf(l.remoteSiteId), connected: l.operational }));
    const incoming = records.flatMap((other) =>
      (other.links ?? []).filter((l) => l.remoteSiteId === record.id).map((l): NetworkLink => ({ name: l.name, direction: 'incoming', remoteSiteId: other.id, remoteSiteName: other.name, connected: l.operational })),
    );
    return {
      id: record.id,
      name: record.name,
      namespace: record.namespace ?? null,
      platform: record.platform ?? null,
      version: record.version ?? null,
      local: record.id === own.id,
      links: [...outgoing, ...incoming],
      services: (record.services ?? []).map((s) => ({ address: s.routingKey, listeners: s.listeners ?? [], connectors: s.connectors ?? [] })),
    };
  });
}
