/** The JSON description of a site that init, start, stop and status share (stable keys). */
import type { SitePorts } from '../../site/site-state.js';
import type { Site } from '../../site/site-store.js';

export interface SiteSummary {
  site: string;
  id: string;
  routerId: string;
  mode: string;
  ingressHost: string | null;
  ports: SitePorts;
  running: boolean;
}

export function siteSummary(site: Site, running: boolean): SiteSummary {
  const { state } = site;
  return { site: state.name, id: state.id, routerId: state.routerId, mode: state.mode, ingressHost: state.ingressHost, ports: { ...state.ports }, running };
}
