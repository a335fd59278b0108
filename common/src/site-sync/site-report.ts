/**
 * What a site tells the others about itself next to its services, so every site can draw the whole
 * network (`skiff network status`, a Kubernetes site's network status): identity, router id and
 * mode, its outgoing links and its services. Local sites and Kubernetes sites send the same report.
 */
import { definitionsFrom, type ServiceDefinition } from './service-definition.js';

export interface ReportedLink {
  name: string;
  remoteSiteId: string;
  connected: boolean;
}

/**
 * Which of a site's listeners and connectors carry a routing key (ADR 0005), so every site can tell
 * whether a key has both halves somewhere (a Listener's or Connector's Matched condition).
 */
export interface ReportedBinding {
  routingKey: string;
  /** Names of the listeners (Kubernetes: Listener objects) of this routing key at the site. */
  listeners: string[];
  /** Names of the connectors (Kubernetes: Connector objects) of this routing key at the site. */
  connectors: string[];
}

export interface SiteReport {
  id: string;
  name: string;
  routerId: string;
  mode: string;
  links: ReportedLink[];
  services: ServiceDefinition[];
  /** `kubernetes` from Kubernetes sites; local sites leave it out. */
  platform?: string;
  /** The Kubernetes namespace of a Kubernetes site. */
  namespace?: string;
  /** The site's listeners and connectors by routing key; older sites leave it out. */
  bindings?: ReportedBinding[];
}

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string') : [];
}

/** The bindings of a decoded report: entries without a routing key are dropped. */
function bindingsFrom(value: unknown): ReportedBinding[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): ReportedBinding[] => {
    if (typeof item !== 'object' || item === null) return [];
    const { routingKey, listeners, connectors } = item as Record<string, unknown>;
    if (typeof routingKey !== 'string' || routingKey === '') return [];
    return [{ routingKey, listeners: names(listeners), connectors: names(connectors) }];
  });
}

/** A report from a decoded JSON value, or undefined when it is not one. */
export function siteReportFrom(value: unknown): SiteReport | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, name, routerId, mode, links, services, platform, namespace, bindings } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof routerId !== 'string' || typeof mode !== 'string' || !Array.isArray(links)) return undefined;
  const reported = links.flatMap((item: unknown): ReportedLink[] => {
    if (typeof item !== 'object' || item === null) return [];
    const link = item as Record<string, unknown>;
    if (typeof link.name !== 'string' || typeof link.remoteSiteId !== 'string') return [];
    return [{ name: link.name, remoteSiteId: link.remoteSiteId, connected: link.connected === true }];
  });
  return {
    id, name, routerId, mode, links: reported, services: definitionsFrom(services),
    ...(typeof platform === 'string' ? { platform } : {}),
    ...(typeof namespace === 'string' ? { namespace } : {}),
    ...(bindings === undefined ? {} : { bindings: bindingsFrom(bindings) }),
  };
}
