/**
 * The tcpListeners a site runs: one per service it knows, those it defined on the host and port
 * they were given, the remote ones on 127.0.0.1 and the port chosen for each of their routing keys
 * (remote-bindings.ts). The site agent keeps the router at this set; the router config written at
 * `start` holds the same.
 */
import type { ServiceListener, SiteState } from '../site/site-state.js';
import { localAddresses } from './local-definitions.js';
import { remoteRoutingKeys } from './remote-bindings.js';
import type { SyncedServices } from './sync-files.js';

export function siteListeners(state: SiteState, synced: SyncedServices): ServiceListener[] {
  const local = localAddresses(state);
  const remote = synced.remote.flatMap((service): ServiceListener[] => {
    if (local.has(service.address)) return [];
    return remoteRoutingKeys(service).flatMap((key): ServiceListener[] => {
      const port = synced.ports[key];
      return port === undefined ? [] : [{ name: key, address: key, host: '127.0.0.1', port }];
    });
  });
  return [...state.services, ...remote];
}
