/**
 * `skiff link status [NAME] [--wait S]` on Kubernetes: the Links of the namespace as a table
 * (NAME STATUS COST MESSAGE) and the links other sites made to this one. With --wait it polls until
 * every link shown is operational (and, with no link at all, until there is one), printing
 * progress on stderr; on timeout it names the links that are not, and why.
 */
import type { Link, Site } from '../../../../common/src/kube-api/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { emit } from '../../output.js';
import type { KubeClient } from './kube-client.js';
import { kubeClient, requireSite } from './kube-site.js';
import { incomingLinks, linkItem, linkRow, linkTable, type IncomingLink, type LinkRow } from './link-view.js';
import { waitFor, type WaitItem } from './wait.js';

interface LinkView {
  site: Site;
  rows: LinkRow[];
  incoming: IncomingLink[];
}

export async function kubeLinkStatus(deps: CliDeps, global: GlobalOptions, name: string | undefined, waitSeconds: number): Promise<void> {
  const client = kubeClient(deps, global);
  const { namespace } = client;
  const read = () => readView(client, name);
  const view = waitSeconds === 0 ? (await read()).value : await waitFor({ subject: name === undefined ? `the links of namespace ${namespace}` : `Link "${name}"`, timeoutMs: waitSeconds * 1000, progress: deps.err, check: read, hint: `see each link's conditions: 'kubectl get links -n ${namespace} -o yaml'; on the other site, 'skiff status'` });
  const { site, rows, incoming } = view;
  const text = [
    ...(rows.length === 0 ? ['There are no links configured from this site'] : [`${rows.filter((r) => r.operational).length} of ${rows.length} link(s) from this site connected`, '', ...linkTable(rows)]),
    ...(name === undefined ? ['', ...(incoming.length === 0 ? ['There are no links from other sites'] : incoming.map(describeIncoming))] : []),
  ];
  emit(deps, global, { text, json: { site: site.metadata.name, namespace, links: rows, incomingLinks: incoming } });
}

async function readView(client: KubeClient, name: string | undefined): Promise<{ value: LinkView; items: WaitItem[] }> {
  const site = await requireSite(client);
  const all = await client.list<Link>('Link');
  const links = name === undefined ? all : all.filter((l) => l.metadata.name === name);
  if (name !== undefined && links.length === 0) {
    throw new CliError(ErrorCode.SKIFF_ERR_LINK_NOT_FOUND, `no Link named "${name}" in namespace ${client.namespace}`, all.length === 0 ? 'this site has no links' : `links: ${all.map((l) => l.metadata.name).join(', ')}`);
  }
  const incoming = name === undefined ? incomingLinks(site) : [];
  const items: WaitItem[] = [
    ...links.map(linkItem),
    ...incoming.map((l) => ({ label: `link ${l.name} from site ${l.remoteSiteName} connected`, done: l.operational })),
  ];
  return { value: { site, rows: links.map(linkRow), incoming }, items: items.length === 0 ? [{ label: 'a link to or from this site', done: false }] : items };
}

function describeIncoming(link: IncomingLink): string {
  return `Incoming link ${link.name} from site ${link.remoteSiteName}${link.namespace === null ? '' : ` (namespace ${link.namespace})`} ${link.operational ? 'is connected' : 'is not connected'}`;
}
