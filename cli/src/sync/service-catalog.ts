/**
 * Every service a site knows, as `service status` shows it and `service bind` checks it: those it
 * defined and those synced from other sites, each with the port bound here, its origin and the
 * targets this site has for it.
 */
import type { SiteState } from '../site/site-state.js';
import { localAddresses } from './local-definitions.js';
import { remoteRoutingKeys } from './remote-bindings.js';
import type { NetworkView, SyncedServices } from './sync-files.js';

export interface ServiceTarget {
  host: string;
  port: number;
}

export interface KnownService {
  address: string;
  protocol: 'tcp';
  /** Host and port the service listens on at this site; port null until the agent has chosen one. */
  host: string;
  port: number | null;
  origin: 'local' | 'remote';
  originSiteId: string;
  originSiteName: string;
  targets: ServiceTarget[];
}

export function knownServices(state: SiteState, synced: SyncedServices, view: NetworkView): KnownService[] {
  const targetsOf = (address: string): ServiceTarget[] => state.exposed.filter((e) => e.address === address).map((e) => ({ host: e.host, port: e.port }));
  const local = state.services.map((s): KnownService => ({
    address: s.address, protocol: 'tcp', host: s.host, port: s.port, origin: 'local', originSiteId: state.id, originSiteName: state.name, targets: targetsOf(s.address),
  }));
  const defined = localAddresses(state);
  // A multi-port remote service is listed once per port, by its routing key (`address:port`): the
  // name `service bind` takes to add a target for that port.
  const remote = synced.remote.filter((r) => !defined.has(r.address)).flatMap((r) => remoteRoutingKeys(r).map((key): KnownService => ({
    address: key,
    protocol: 'tcp',
    host: '127.0.0.1',
    port: synced.ports[key] ?? null,
    origin: 'remote',
    originSiteId: r.origin,
    originSiteName: view.sites.find((s) => s.id === r.origin)?.name ?? r.origin,
    targets: targetsOf(key),
  })));
  return [...local, ...remote].sort((a, b) => a.address.localeCompare(b.address));
}
