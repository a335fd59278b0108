/** The services a site originates, as it announces them: one definition per service it defined. */
import type { SiteState } from '../site/site-state.js';
import type { ServiceDefinition } from './service-definition.js';

export function localDefinitions(state: SiteState): ServiceDefinition[] {
  return state.services.map((s) => ({ address: s.address, protocol: 'tcp', ports: [s.port] }));
}
