/**
 * The network as `network status` presents it: this site's own fresh report first, then every site
 * heard through service sync, each with its links in both directions (a site reports only the
 * links it made; the incoming ones are the others' outgoing links to it).
 */
import type { ServiceDefinition } from '../../../common/src/site-sync/service-definition.js';
import type { SiteReport } from '../../../common/src/site-sync/site-report.js';

export interface NetworkLink {
  name: string;
  direction: 'outgoing' | 'incoming';
  remoteSiteId: string;
  /** The remote site's name when it has been heard, else its id. */
  remoteSiteName: string;
  connected: boolean;
}

export interface NetworkSite {
  id: string;
  name: string;
  routerId: string;
  mode: string;
  local: boolean;
  links: NetworkLink[];
  /** The services this site defined (their origin). */
  services: ServiceDefinition[];
}

export function networkSites(own: SiteReport, heard: readonly SiteReport[]): NetworkSite[] {
  const reports = [own, ...heard.filter((r) => r.id !== own.id).sort((a, b) => a.name.localeCompare(b.name))];
  const nameOf = (id: string): string => reports.find((r) => r.id === id)?.name ?? id;
  return reports.map((report) => {
    const outgoing = report.links.map((l): NetworkLink => ({ name: l.name, direction: 'outgoing', remoteSiteId: l.remoteSiteId, remoteSiteName: nameOf(l.remoteSiteId), connected: l.connected }));
    const incoming = reports.flatMap((other) =>
      other.links.filter((l) => l.remoteSiteId === report.id).map((l): NetworkLink => ({ name: l.name, direction: 'incoming', remoteSiteId: other.id, remoteSiteName: other.name, connected: l.connected })),
    );
    return { id: report.id, name: report.name, routerId: report.routerId, mode: report.mode, local: report.id === own.id, links: [...outgoing, ...incoming], services: report.services };
  });
}
