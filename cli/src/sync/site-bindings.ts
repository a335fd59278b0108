/**
 * A local site's bindings for its report (ADR 0005): per routing key, the names of the tcpListeners
 * and tcpConnectors the agent keeps on its router (site-listeners.ts and the exposed hosts), so a
 * Kubernetes site's Listener or Connector can tell that its other half is here.
 */
import type { ReportedBinding } from '../../../common/src/site-sync/site-report.js';
import type { ExposedHost, ServiceListener } from '../site/site-state.js';

export function siteBindings(listeners: readonly ServiceListener[], connectors: readonly ExposedHost[]): ReportedBinding[] {
  const keys = [...new Set([...listeners, ...connectors].map((e) => e.address))].sort();
  const namesOf = (entities: readonly { name: string; address: string }[], key: string): string[] =>
    entities.filter((e) => e.address === key).map((e) => e.name).sort();
  return keys.map((routingKey) => ({ routingKey, listeners: namesOf(listeners, routingKey), connectors: namesOf(connectors, routingKey) }));
}
