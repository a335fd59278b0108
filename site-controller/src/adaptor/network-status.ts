/**
 * The network status of a Kubernetes site, built from what its router says and what other sites
 * report (pure):
 *
 *   config connectors ─┐   (a connector not on the router: why, if the adaptor knows, else MISSING)
 *   QUERY connector ───┼─▶ link states: connected = connectionStatus SUCCESS; the remote site is the
 *   QUERY connection ──┘   one whose report names, as routerId, the container of the link's outgoing
 *                          inter-router/edge connection
 *   QUERY tcpListener, tcpConnector ─▶ bindings: per routing key (address), the Listener and
 *                                      Connector objects whose bridges carry it
 *   own report + reports heard ─▶ NetworkStatus { siteId, links, sites: this site first, each with
 *                                 services[{routingKey, listeners, connectors}] }
 */
import type { Row } from '../../../common/src/amqp-management.js';
import type { ReportedBinding, SiteReport } from '../../../common/src/site-sync/site-report.js';
import type { LinkState, NetworkStatus } from '../../../common/src/kube-api/network-status.js';
import type { ServiceStatusEntry, SiteRecord } from '../../../common/src/kube-api/types.js';
import { entityObject } from '../../../common/src/kube-api/names.js';
import type { RouterConfig, RouterEntity } from './router-config.js';

export const CONNECTOR_ATTRIBUTES = ['name', 'host', 'port', 'connectionStatus', 'connectionMsg'];
export const CONNECTION_ATTRIBUTES = ['role', 'dir', 'container', 'host'];
export const BRIDGE_ATTRIBUTES = ['name', 'address'];

const LINK_ROLES = new Set(['inter-router', 'edge']);

function linkConnectors(config: RouterConfig): RouterEntity[] {
  return config.entities.filter((e) => e.type === 'connector' && LINK_ROLES.has(String(e.attributes.role ?? 'normal')));
}

/** Why a config entity is not on the router (refused, or held for a missing Secret), if known. */
export type EntityProblem = (entity: RouterEntity) => string | undefined;

export function linkStates(config: RouterConfig, connectors: readonly Row[], connections: readonly Row[], reports: readonly SiteReport[], problemOf: EntityProblem): LinkState[] {
  return linkConnectors(config).map((link): LinkState => {
    const name = entityObject(link.name);
    const row = connectors.find((r) => r.name === link.name);
    if (row === undefined) return { name, connected: false, description: problemOf(link) ?? 'MISSING' };
    const status = String(row.connectionStatus ?? '');
    const connected = status === 'SUCCESS';
    const state: LinkState = { name, connected, description: String(row.connectionMsg ?? '') || status };
    if (!connected) return state;
    const peer = connections.find((c) => c.dir === 'out' && LINK_ROLES.has(String(c.role)) && c.host === `${String(row.host)}:${String(row.port)}`)?.container;
    const remote = reports.find((r) => r.routerId === peer);
    return remote === undefined ? state : { ...state, remoteSiteId: remote.id, remoteSiteName: remote.name };
  });
}

/** Link states while the router does not answer: none connected, each saying why. */
export function unreachableLinkStates(config: RouterConfig, why: string): LinkState[] {
  return linkConnectors(config).map((link) => ({ name: entityObject(link.name), connected: false, description: `router not reachable: ${why}` }));
}

/** Bindings by routing key from the router's tcpListener and tcpConnector rows, sorted. */
export function bindings(tcpListeners: readonly Row[], tcpConnectors: readonly Row[]): ReportedBinding[] {
  const byKey = new Map<string, { listeners: Set<string>; connectors: Set<string> }>();
  const entry = (address: unknown) => {
    const key = String(address ?? '');
    let found = byKey.get(key);
    if (found === undefined) byKey.set(key, (found = { listeners: new Set(), connectors: new Set() }));
    return found;
  };
  for (const row of tcpListeners) if (row.address) entry(row.address).listeners.add(entityObject(String(row.name)));
  for (const row of tcpConnectors) if (row.address) entry(row.address).connectors.add(entityObject(String(row.name)));
  return [...byKey]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([routingKey, { listeners, connectors }]) => ({ routingKey, listeners: [...listeners].sort(), connectors: [...connectors].sort() }));
}

/** A site's services for its record: its bindings, then the addresses it defines that no binding names. */
function services(report: SiteReport): ServiceStatusEntry[] {
  const entries: ServiceStatusEntry[] = (report.bindings ?? []).map((b) => ({ routingKey: b.routingKey, listeners: [...b.listeners], connectors: [...b.connectors] }));
  const bound = new Set(entries.map((e) => e.routingKey));
  for (const definition of report.services) if (!bound.has(definition.address)) entries.push({ routingKey: definition.address });
  return entries;
}

export interface OwnSite {
  id: string;
  name: string;
  namespace: string;
}

/** This site's report, as local sites send theirs (a Kubernetes site defines no services here). */
export function ownReport(site: OwnSite, config: RouterConfig, links: readonly LinkState[], siteBindings: readonly ReportedBinding[] = []): SiteReport {
  return {
    id: site.id,
    name: site.name,
    routerId: config.routerId,
    mode: config.mode,
    links: links.map((l) => ({ name: l.name, remoteSiteId: l.remoteSiteId ?? '', connected: l.connected })),
    services: [],
    platform: 'kubernetes',
    namespace: site.namespace,
    bindings: [...siteBindings],
  };
}

export function networkStatus(own: SiteReport, links: readonly LinkState[], heard: readonly SiteReport[]): NetworkStatus {
  const others = heard.filter((r) => r.id !== own.id).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const reports = [own, ...others];
  const nameOf = (id: string): string | undefined => reports.find((r) => r.id === id)?.name;
  const record = (report: SiteReport): SiteRecord => ({
    id: report.id,
    name: report.name,
    ...(report.namespace === undefined ? {} : { namespace: report.namespace }),
    platform: report.platform ?? 'local',
    links: report.links.map((l) => {
      const remoteSiteName = nameOf(l.remoteSiteId);
      return { name: l.name, remoteSiteId: l.remoteSiteId, ...(remoteSiteName === undefined ? {} : { remoteSiteName }), operational: l.connected };
    }),
    services: services(report),
  });
  return { siteId: own.id, links: [...links], sites: reports.map(record) };
}
