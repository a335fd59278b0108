/**
 * A local site's own report (common/src/site-sync/site-report.ts) from its state, its link states
 * and the tcpListeners it runs (site-listeners.ts: its own services and the synced ones).
 */
import type { SiteReport } from '../../../common/src/site-sync/site-report.js';
import type { OutgoingLink } from '../mgmt/link-states.js';
import type { ServiceListener, SiteState } from '../site/site-state.js';
import { localDefinitions } from './local-definitions.js';
import { siteBindings } from './site-bindings.js';

export function siteReport(state: SiteState, links: readonly OutgoingLink[], listeners: readonly ServiceListener[]): SiteReport {
  return {
    id: state.id,
    name: state.name,
    routerId: state.routerId,
    mode: state.mode,
    links: links.map((l) => ({ name: l.name, remoteSiteId: l.remoteSiteId, connected: l.connected })),
    services: localDefinitions(state),
    bindings: siteBindings(listeners, state.exposed),
  };
}
