/**
 * The tcpListeners a site runs: one per service it knows, those it defined on the host and port
 * they were given, the remote ones on 127.0.0.1 and the port chosen for them. The site agent keeps
 * the router at this set; the router config written at `start` holds the same.
 */
import type { ServiceListener, SiteState } from '../site/site-state.js';
import { localAddresses } from './local-definitions.js';
import type { SyncedServices } from './sync-files.js';

export function siteListeners(state: SiteState, synced: SyncedServices): ServiceListener[] {
  const local = localAddresses(state);
  const remote = synced.remote.flatMap((service): ServiceListener[] => {
    const port = synced.ports[service.address];
    if (local.has(service.address) || port === undefined) return [];
    return [{ name: service.address, address: service.address, host: '127.0.0.1', port }];
  });
  return [...state.services, ...remote];
}
