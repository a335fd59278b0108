/**
 * `skiff status` on Kubernetes: the namespace's Site as its status says (id, status and message,
 * endpoints, links), and its router pods' readiness read from the API.
 */
import { ConditionType, type Link } from '../../../../site-controller/src/api/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { emit } from '../../output.js';
import { condition, messageOf, statusOf } from './conditions.js';
import { kubeClient, requireSite } from './kube-site.js';
import { routerPods } from './router-pods.js';
import { siteJson } from './site-json.js';
import { endpointLines } from './site-readiness.js';

export async function kubeStatus(deps: CliDeps, global: GlobalOptions): Promise<void> {
  const client = kubeClient(deps, global);
  const site = await requireSite(client);
  const [pods, links] = await Promise.all([routerPods(client, site.metadata.name), client.list<Link>('Link')]);
  const { namespace } = client;
  const name = site.metadata.name;
  const sitesInNetwork = site.status?.sitesInNetwork ?? site.status?.network?.length ?? 0;
  emit(deps, global, {
    text: [
      `Site "${name}" in namespace ${namespace} (id ${site.metadata.uid ?? '?'}): ${statusOf(site.status)}${messageOf(site.status) ? ` (${messageOf(site.status)})` : ''}.`,
      `Router pods: ${pods.length === 0 ? 'none' : pods.map((p) => `${p.name} ${p.ready ? 'Ready' : `not Ready (${p.phase})`}`).join(', ')}`,
      `Link access: ${site.spec?.linkAccess || 'none'}${site.spec?.edge === true ? ' (edge router)' : ''}`,
      ...endpointLines(site).map((e) => `Endpoint: ${e}`),
      `Links: ${links.length} from this site, ${operationalCount(links)} operational; ${Math.max(sitesInNetwork - 1, 0)} other site(s) in the network.`,
    ],
    json: {
      ...siteJson(site, namespace, []),
      routerPods: pods,
      links: links.length,
      linksOperational: operationalCount(links),
      sitesInNetwork,
      controller: site.status?.controller ?? null,
    },
  });
}

function operationalCount(links: readonly Link[]): number {
  return links.filter((l) => condition(l.status, ConditionType.Operational)?.status === 'True').length;
}
