/**
 * `skiff status` on Kubernetes: the namespace's Site as its status says (id, status and message,
 * endpoints, links), and its router pods' readiness read from the API.
 */
import type { Link } from '../../../../common/src/kube-api/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { emit } from '../../output.js';
import { messageOf, statusOf } from './conditions.js';
import { kubeClient, requireSite } from './kube-site.js';
import { incomingLinks, linkRow } from './link-view.js';
import { routerPods } from './router-pods.js';
import { siteJson } from './site-json.js';
import { endpointLines } from './site-readiness.js';

export async function kubeStatus(deps: CliDeps, global: GlobalOptions): Promise<void> {
  const client = kubeClient(deps, global);
  const site = await requireSite(client);
  const [pods, links] = await Promise.all([routerPods(client, site.metadata.name), client.list<Link>('Link')]);
  const { namespace } = client;
  const name = site.metadata.name;
  const rows = links.map(linkRow);
  const incoming = incomingLinks(site);
  const sitesInNetwork = site.status?.sitesInNetwork ?? site.status?.network?.length ?? 0;
  emit(deps, global, {
    text: [
      `Site "${name}" in namespace ${namespace} (id ${site.metadata.uid ?? '?'}): ${statusOf(site.status)}${messageOf(site.status) ? ` (${messageOf(site.status)})` : ''}.`,
      `Router pods: ${pods.length === 0 ? 'none' : pods.map((p) => `${p.name} ${p.ready ? 'Ready' : `not Ready (${p.phase})`}`).join(', ')}`,
      `Link access: ${site.spec?.linkAccess || 'none'}${site.spec?.edge === true ? ' (edge router)' : ''}`,
      ...endpointLines(site).map((e) => `Endpoint: ${e}`),
      `Links: ${links.length} from this site (${rows.filter((r) => r.operational).length} operational), ${incoming.length} from other sites; ${Math.max(sitesInNetwork - 1, 0)} other site(s) in the network.`,
    ],
    json: {
      ...siteJson(site, namespace, []),
      routerPods: pods,
      links: rows,
      incomingLinks: incoming,
      sitesInNetwork,
      controller: site.status?.controller ?? null,
    },
  });
}
