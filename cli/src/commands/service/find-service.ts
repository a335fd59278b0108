/** The services a site knows (defined here or synced), and looking one up with a hint when it is not there. */
import { CliError, ErrorCode } from '../../errors.js';
import type { Site } from '../../site/site-store.js';
import { knownServices, type KnownService } from '../../sync/service-catalog.js';
import { readNetworkView, readSyncedServices } from '../../sync/sync-files.js';

/** Every service the site knows, from its state and the agent's sync files. */
export function servicesOf(site: Site): KnownService[] {
  return knownServices(site.state, readSyncedServices(site.paths), readNetworkView(site.paths));
}

export function findService(site: Site, name: string): KnownService {
  const service = servicesOf(site).find((s) => s.address === name);
  if (service === undefined) {
    throw new CliError(ErrorCode.SKIFF_ERR_SERVICE_NOT_FOUND, `no service '${name}' on site '${site.state.name}'`, `'skiff service status --site ${site.state.name}' lists them; 'skiff service create ${name} PORT' defines one`);
  }
  return service;
}
