/**
 * A Link's conditions (reference §7.2): Configured when the site can dial it (an endpoint for its
 * role, the credentials Secret present), Operational when the kube-adaptor reports it connected.
 */
import type { NetworkStatus } from '../../../common/src/kube-api/network-status.js';
import { ConditionType, type Link, type LinkStatus, type Site } from '../../../common/src/kube-api/types.js';
import { failed, ok, pending, summarize, supported, type ConditionState } from './conditions.js';
import { linkEndpoint, linkRole } from './link-endpoint.js';
import { linkState } from './network-status.js';
import { unsupportedLinkFields } from './unsupported.js';

/** What stops the site from dialling the Link, or undefined when nothing does. */
export function linkProblem(link: Link, site: Site | undefined, secretExists: boolean): ConditionState | undefined {
  if (site === undefined) return pending(ConditionType.Configured, `no Site in namespace ${link.metadata.namespace ?? ''}: create one (skiff init)`);
  const role = linkRole(site);
  if (linkEndpoint(link, role) === undefined) {
    return failed(ConditionType.Configured, `the Link has no ${role} endpoint with a host and port: add one to spec.endpoints or redeem a token again`);
  }
  const secret = link.spec?.tlsCredentials;
  if (secret === undefined || secret === '') return failed(ConditionType.Configured, 'spec.tlsCredentials is empty: name the Secret holding the link credentials');
  if (!secretExists) return failed(ConditionType.Configured, `Secret ${secret} not found: create it or redeem a token again`);
  return undefined;
}

export interface LinkObservations {
  link: Link;
  site: Site | undefined;
  secretExists: boolean;
  network: NetworkStatus | undefined;
  now: Date;
}

export function linkStatus(o: LinkObservations): LinkStatus {
  const problem = linkProblem(o.link, o.site, o.secretExists);
  const state = o.network !== undefined && o.network.siteId === o.site?.metadata.uid ? linkState(o.network, o.link.metadata.name) : undefined;
  let operational: ConditionState;
  if (problem !== undefined) operational = pending(ConditionType.Operational, 'Not operational: the Link is not configured');
  else if (state === undefined) operational = pending(ConditionType.Operational, 'Not operational: the router has not reported this link yet');
  else if (state.connected) operational = ok(ConditionType.Operational);
  else operational = pending(ConditionType.Operational, `Not operational: ${state.description !== '' ? state.description : 'not connected'}`);
  const required = [problem ?? ok(ConditionType.Configured), operational];
  const status: LinkStatus = summarize(required, [supported(unsupportedLinkFields(o.link))], o.link.status?.conditions, o.link.metadata.generation ?? 0, o.now);
  if (state?.connected === true && state.remoteSiteId !== undefined) status.remoteSiteId = state.remoteSiteId;
  if (state?.connected === true && state.remoteSiteName !== undefined) status.remoteSiteName = state.remoteSiteName;
  return status;
}
