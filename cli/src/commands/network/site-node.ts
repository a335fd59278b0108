/** One site of `network status` as a tree node, for local and Kubernetes sites alike. */
import type { NetworkLink } from '../../sync/network-sites.js';
import { node, type TreeNode } from '../../text-tree.js';

export interface SiteHeading {
  local: boolean;
  name: string;
  id: string;
}

export function siteNode(site: SiteHeading, details: TreeNode[], links: readonly NetworkLink[], services: TreeNode[]): TreeNode {
  const linked = links.map((l) => node(`${l.remoteSiteName} (${l.remoteSiteId})`, [node(`link: ${l.name}`), node(`direction: ${l.direction}`), node(`connected: ${l.connected ? 'yes' : 'no'}`)]));
  return node(`[${site.local ? 'local' : 'remote'}] ${site.name} (${site.id})`, [
    ...details,
    linked.length === 0 ? node('Linked sites: none') : node('Linked sites:', linked),
    services.length === 0 ? node('Services: none') : node('Services:', services),
  ]);
}
