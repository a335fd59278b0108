/** A local site's own report (common/src/site-sync/site-report.ts) from its state and link states. */
import type { SiteReport } from '../../../common/src/site-sync/site-report.js';
import type { OutgoingLink } from '../mgmt/link-states.js';
import type { SiteState } from '../site/site-state.js';
import { localDefinitions } from './local-definitions.js';

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
