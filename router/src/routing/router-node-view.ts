/**
 * Management's `router.node` rows in skupper-router's layout (as `skstat -n` shows them): this
 * router first with next hop "(self)" and the last topology change; a neighbor with next hop
 * null and its control link; any other router with its next hop and cost.
 */
import { PROTOCOL_VERSION } from './messages.js';
import type { RemoteLinkState } from './link-state-db.js';
import type { RouteTable } from './route-table.js';

export interface RouterNodeView {
  id: string;
  protocolVersion: number;
  instance: number | null;
  linkState: string[];
  nextHop: string | null;
  validOrigins: string[];
  address: string;
  /** The control link to a neighbor (skupper-router shows its link number). */
  routerLink: string | null;
  cost: number | null;
  /** Seconds, on this router's row only. */
  lastTopoChange: number | null;
  index: number;
}

export interface NodeViewSource {
  self: { id: string; instance: number; peers: ReadonlyMap<string, number>; lastTopoChange: number };
  routes: RouteTable;
  stateOf: (id: string) => RemoteLinkState | undefined;
}

const SELF_NEXT_HOP = '(self)';

export function describeNodes(source: NodeViewSource): RouterNodeView[] {
  const { self, routes } = source;
  const rows: RouterNodeView[] = [
    {
      id: self.id,
      protocolVersion: PROTOCOL_VERSION,
      instance: self.instance,
      linkState: [...self.peers.keys()],
      nextHop: SELF_NEXT_HOP,
      validOrigins: [],
      address: `amqp:/_topo/0/${self.id}`,
      routerLink: null,
      cost: null,
      lastTopoChange: self.lastTopoChange,
      index: 0,
    },
  ];
  for (const [id, route] of routes.entries) {
    const state = source.stateOf(id);
    const neighbor = route.nextHopId === id;
    rows.push({
      id,
      protocolVersion: PROTOCOL_VERSION,
      instance: state?.instance ?? null,
      linkState: [...(state?.peers.keys() ?? [])],
      nextHop: neighbor ? null : route.nextHopId,
      validOrigins: [...route.validOrigins],
      address: `amqp:/_topo/0/${id}`,
      routerLink: neighbor ? route.nextHopLinkId : null,
      cost: route.cost,
      lastTopoChange: null,
      index: routes.indexOf(id) ?? 0,
    });
  }
  return rows;
}
