/**
 * Which links are up, from the router's own view: a link is connected when its connector's
 * connectionStatus is SUCCESS (as skupper reads it); incoming links are inter-router or edge
 * connections the router accepted.
 */
import type { LinkRecord } from '../site/site-state.js';
import type { Management } from './management.js';

export interface OutgoingLink {
  name: string;
  remoteSiteId: string;
  connected: boolean;
  /** Why it is not connected (the router's last error, or its status). */
  description: string;
}

export interface LinkStates {
  outgoing: OutgoingLink[];
  /** Router ids of the peers that linked to this site. */
  incoming: string[];
}

export async function linkStates(mgmt: Management, links: readonly LinkRecord[]): Promise<LinkStates> {
  const connectors = await mgmt.query('connector', ['name', 'connectionStatus', 'connectionMsg']);
  const connections = await mgmt.query('connection', ['role', 'dir', 'container']);
  const outgoing = links.map((link): OutgoingLink => {
    const row = connectors.find((r) => r.name === link.name);
    const status = String(row?.connectionStatus ?? 'MISSING');
    const message = String(row?.connectionMsg ?? '');
    return { name: link.name, remoteSiteId: link.remoteSiteId, connected: status === 'SUCCESS', description: message || status };
  });
  const incoming = connections
    .filter((r) => r.dir === 'in' && (r.role === 'inter-router' || r.role === 'edge'))
    .map((r) => String(r.container));
  return { outgoing, incoming };
}

/** Links as they stand when the router is not running. */
export function stoppedLinkStates(links: readonly LinkRecord[]): LinkStates {
  return { outgoing: links.map((l) => ({ name: l.name, remoteSiteId: l.remoteSiteId, connected: false, description: 'router not running' })), incoming: [] };
}
