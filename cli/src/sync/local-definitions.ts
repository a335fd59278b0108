/** The services a site originates, as it announces them: one definition per service it defined, and their addresses. */
import type { SiteState } from '../site/site-state.js';
import type { ServiceDefinition } from '../../../common/src/site-sync/service-definition.js';

export function localDefinitions(state: SiteState): ServiceDefinition[] {
  return state.services.map((s) => ({ address: s.address, protocol: 'tcp', ports: [s.port] }));
}

/** The addresses a site defines itself: a remote definition of one of them is hidden here. */
export function localAddresses(state: SiteState): Set<string> {
  return new Set(state.services.map((s) => s.address));
}
