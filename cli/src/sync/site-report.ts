/**
 * What a site tells the others about itself next to its services, so every site can draw the whole
 * network (`skiff network status`): identity, router mode, its outgoing links and its services.
 */
import type { OutgoingLink } from '../mgmt/link-states.js';
import type { SiteState } from '../site/site-state.js';
import { definitionsFrom, type ServiceDefinition } from './service-definition.js';
import { localDefinitions } from './local-definitions.js';

export interface ReportedLink {
  name: string;
  remoteSiteId: string;
  connected: boolean;
}

export interface SiteReport {
  id: string;
  name: string;
  routerId: string;
  mode: string;
  links: ReportedLink[];
  services: ServiceDefinition[];
}

export function siteReport(state: SiteState, links: readonly OutgoingLink[]): SiteReport {
  return {
    id: state.id,
    name: state.name,
    routerId: state.routerId,
    mode: state.mode,
    links: links.map((l) => ({ name: l.name, remoteSiteId: l.remoteSiteId, connected: l.connected })),
    services: localDefinitions(state),
  };
}

/** A report from a decoded JSON value, or undefined when it is not one. */
export function siteReportFrom(value: unknown): SiteReport | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, name, routerId, mode, links, services } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof routerId !== 'string' || typeof mode !== 'string' || !Array.isArray(links)) return undefined;
  const reported = links.flatMap((item: unknown): ReportedLink[] => {
    if (typeof item !== 'object' || item === null) return [];
    const link = item as Record<string, unknown>;
    if (typeof link.name !== 'string' || typeof link.remoteSiteId !== 'string') return [];
    return [{ name: link.name, remoteSiteId: link.remoteSiteId, connected: link.connected === true }];
  });
  return { id, name, routerId, mode, links: reported, services: definitionsFrom(services) };
}
