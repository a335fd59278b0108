/**
 * The router's bridges the site wants (ADR 0005, pure): a tcpListener per valid Listener, named
 * `<listener>@0.0.0.0:<router port>`, address = routingKey, and a tcpConnector per (Connector,
 * selected pod) named `<connector>@<pod ip>:<port>`, or per Connector with a host named
 * `<connector>@<host>:<port>` (objectEntityName: no other router entity can have such a name).
 * Diffed against the router's by site-controller/src/adaptor/entity-diff.ts.
 */
import { objectEntityName } from '../../../common/src/kube-api/names.js';
import type { Connector, SelectedPod } from '../../../common/src/kube-api/types.js';
import type { Entity } from '../../../site-controller/src/adaptor/entity-diff.js';
import type { ListenerPlan } from './listener-plan.js';

export const BridgeTypes = ['tcpListener', 'tcpConnector'] as const;

/** A Connector without problems, with the pods it selects (none for a host Connector). */
export interface ConnectorTargets {
  connector: Connector;
  pods: readonly SelectedPod[];
}

/** Where a Listener's tcpListener accepts: every address of the router pod. */
const LISTEN_HOST = '0.0.0.0';

export function desiredBridges(listeners: Iterable<ListenerPlan>, connectors: readonly ConnectorTargets[]): Entity[] {
  const entities: Entity[] = [];
  for (const plan of listeners) {
    if (plan.problem !== undefined || plan.routerPort === undefined) continue;
    const name = objectEntityName(plan.listener.metadata.name, LISTEN_HOST, plan.routerPort);
    entities.push({ type: 'tcpListener', name, attributes: { name, host: LISTEN_HOST, port: String(plan.routerPort), address: plan.listener.spec?.routingKey ?? '' } });
  }
  for (const { connector, pods } of connectors) {
    const spec = connector.spec;
    if (spec === undefined) continue;
    const hosts = spec.host !== undefined && spec.host !== '' ? [spec.host] : pods.map((p) => p.ip);
    for (const host of hosts) {
      const name = objectEntityName(connector.metadata.name, host, spec.port);
      entities.push({ type: 'tcpConnector', name, attributes: { name, host, port: String(spec.port), address: spec.routingKey } });
    }
  }
  return entities.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}
