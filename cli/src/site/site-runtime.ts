/**
 * Runs a site's router on its platform and applies changes to it: state first (so `start` repeats
 * them), then, when the router is running, the same entities live over management.
 */
import { CliError, ErrorCode } from '../errors.js';
import { Management } from '../mgmt/management.js';
import type { Platform } from '../platform/platform.js';
import { readSyncedServices } from '../sync/sync-files.js';
import { routerConfig } from './router-config.js';
import { saveSite, type Site } from './site-store.js';

export async function startSite(platform: Platform, site: Site): Promise<void> {
  await platform.start(site, routerConfig(site.state, site.paths, readSyncedServices(site.paths)));
}

/** Saves the state, then runs `live` against the router if it is up; returns whether it was. */
export async function applyChange(platform: Platform, site: Site, live: (mgmt: Management) => Promise<void>): Promise<boolean> {
  saveSite(site);
  if (platform.running(site) === undefined) return false;
  await Management.with(site.state.ports.management, live);
  return true;
}

export function requireRunning(platform: Platform, site: Site): void {
  if (platform.running(site) === undefined) {
    throw new CliError(ErrorCode.SKIFF_ERR_ROUTER_NOT_RUNNING, `the router of site '${site.state.name}' is not running`, `start it with 'skiff start --site ${site.state.name}'`);
  }
}
