/**
 * The files the site agent writes and the CLI reads (the CLI never writes them):
 *
 *   sync/services.json    remote services and the port this site binds for each address; kept
 *                         across restarts so a service keeps its port and `start` binds it again
 *   runtime/network.json  the latest report of every site heard, this one included
 */
import { existsSync, readFileSync } from 'node:fs';
import type { SitePaths } from '../site/site-paths.js';
import { writeFileAtomic } from '../../../common/src/atomic-file.js';
import type { RemoteService } from '../../../common/src/site-sync/remote-services.js';
import type { SiteReport } from '../../../common/src/site-sync/site-report.js';

export interface SyncedServices {
  remote: RemoteService[];
  /**
   * Port bound on this site per routing key of a remote service (its address when it has one port,
   * remote-bindings.ts), chosen at first sight and never reused for another.
   */
  ports: Record<string, number>;
}

export interface HeardSite extends SiteReport {
  /** ISO time the report arrived (for this site: when it was made). */
  heardAt: string;
}

export interface NetworkView {
  sites: HeardSite[];
}

export function readSyncedServices(paths: SitePaths): SyncedServices {
  return readJson(paths.syncedServices) ?? { remote: [], ports: {} };
}

export function writeSyncedServices(paths: SitePaths, synced: SyncedServices): void {
  writeFileAtomic(paths.syncedServices, JSON.stringify(synced, null, 2) + '\n');
}

export function readNetworkView(paths: SitePaths): NetworkView {
  return readJson(paths.networkView) ?? { sites: [] };
}

export function writeNetworkView(paths: SitePaths, view: NetworkView): void {
  writeFileAtomic(paths.networkView, JSON.stringify(view, null, 2) + '\n');
}

function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
