/** Which of a Link's endpoints a site dials: `edge` from an edge site, `inter-router` otherwise. */
import type { Endpoint, Link, Site } from '../../../common/src/kube-api/types.js';

export type LinkRole = 'inter-router' | 'edge';

export function linkRole(site: Site): LinkRole {
  return site.spec?.edge === true ? 'edge' : 'inter-router';
}

export interface DialEndpoint {
  host: string;
  port: string;
}

/** The endpoint named `role` with a host and a port, if the Link has one. */
export function linkEndpoint(link: Link, role: LinkRole): DialEndpoint | undefined {
  const found = (link.spec?.endpoints ?? []).find((e: Endpoint) => e.name === role);
  if (found?.host === undefined || found.host === '' || found.port === undefined || found.port === '') return undefined;
  return { host: found.host, port: String(found.port) };
}
