/**
 * Whether the network has the other half of a routing key (Matched, ADR 0005): some site's report,
 * as the kube-adaptor's network status carries it in `sites[].services`, lists a Listener (for a
 * Connector) or a Connector (for a Listener) with that routing key. This site included.
 */
import type { NetworkStatus } from '../../../common/src/kube-api/network-status.js';

export interface Counterparts {
  hasListener: boolean;
  hasConnector: boolean;
}

export function counterparts(network: NetworkStatus | undefined, routingKey: string): Counterparts {
  const entries = (network?.sites ?? []).flatMap((site) => site.services ?? []).filter((s) => s.routingKey === routingKey);
  return {
    hasListener: entries.some((s) => (s.listeners ?? []).length > 0),
    hasConnector: entries.some((s) => (s.connectors ?? []).length > 0),
  };
}

/**
 * Whether this site's router has the Listener's tcpListener, as its own record in the network status
 * says (the kube-adaptor lists the objects whose bridges the router carries, per routing key).
 */
export function routerListensFor(network: NetworkStatus | undefined, routingKey: string, listener: string): boolean {
  const own = network?.sites.find((site) => site.id === network.siteId);
  return (own?.services ?? []).some((s) => s.routingKey === routingKey && (s.listeners ?? []).includes(listener));
}
