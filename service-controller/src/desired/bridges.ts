/**
 * The router's bridges the site wants (ADR 0005, pure): a tcpListener per valid Listener (name = the
 * Listener's, 0.0.0.0 on its router port, address = routingKey), and a tcpConnector per (Connector,
 * selected pod) named `<connector>@<pod ip>:<port>`, or per Connector with a host named
 * `<connector>@<host>:<port>`. Diffed against the router's by site-controller/src/adaptor/entity-diff.ts.
 */
import type { Connector, SelectedPod } from '../../../common/src/kube-api/types.js';
import type { Entity } from '../../../site-controller/src/adaptor/entity-diff.js';
import type { ListenerPlan } from './listener-plan.js';

export const BridgeTypes = ['tcpListener', 'tcpConnector'] as const;

/** A Connector without problems, with the pods it selects (none for a host Connector). */
export interface ConnectorTargets {
  connector: Connector;
  pods: readonly SelectedPod[];
}

/** The network status reads the Connector back from the part before `@` (adaptor/network-status.ts). */
export function tcpConnectorName(connector: string, host: string, port: number): string {
  return `${connector}@${host}:${port}`;
}

export function desiredBridges(listeners: Iterable<ListenerPlan>, connectors: readonly ConnectorTargets[]): Entity[] {
  const entities: Entity[] = [];
  for (const plan of listeners) {
    if (plan.problem !== undefined || plan.routerPort === undefined) continue;
    const name = plan.listener.metadata.name;
    entities.push({ type: 'tcpListener', name, attributes: { name, host: '0.0.0.0', port: String(plan.routerPort), address: plan.listener.spec?.routingKey ?? '' } });
  }
  for (const { connector, pods } of connectors) {
    const spec = connector.spec;
    if (spec === undefined) continue;
    const hosts = spec.host !== undefined && spec.host !== '' ? [spec.host] : pods.map((p) => p.ip);
    for (const host of hosts) {
      const name = tcpConnectorName(connector.metadata.name, host, spec.port);
      entities.push({ type: 'tcpConnector', name, attributes: { name, host, port: String(spec.port), address: spec.routingKey } });
    }
  }
  return entities.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}
