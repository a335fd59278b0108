/**
 * Service sync in the site agent (reference §5.6). Every interval, and at once when site.json
 * changes or another site's snapshot changes what this site knows, it:
 *
 *   site.json ──▶ local services ──▶ snapshot + site report ──▶ mc/$skupper-service-sync
 *   snapshots of other sites ──▶ RemoteServiceTable ──▶ ports (chosen once per routing key) ──▶ sync/services.json
 *   local + remote services ──▶ tcpListeners on the router (management)
 *   reports of other sites ──▶ runtime/network.json
 *
 * Origins silent for longer than the site's grace lose their services and leave the network view.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Message } from 'rhea';
import type { SiteReport } from '../../../common/src/site-sync/site-report.js';
import { SerialTask } from '../../../common/src/serial-task.js';
import { SyncLink } from '../../../common/src/site-sync/sync-link.js';
import { decodeSyncMessage, servicesMessage, siteReportMessage } from '../../../common/src/site-sync/sync-messages.js';
import { linkStates } from '../mgmt/link-states.js';
import { Management } from '../mgmt/management.js';
import { freePort } from '../site/free-ports.js';
import type { SitePaths } from '../site/site-paths.js';
import type { SiteState } from '../site/site-state.js';
import { readSiteState } from '../site/site-store.js';
import { localAddresses, localDefinitions } from '../sync/local-definitions.js';
import { remoteRoutingKeys } from '../sync/remote-bindings.js';
import { RemoteServiceTable } from '../../../common/src/site-sync/remote-services.js';
import { siteListeners } from '../sync/site-listeners.js';
import { siteReport } from '../sync/site-report.js';
import { readSyncedServices, writeNetworkView, writeSyncedServices, type HeardSite, type SyncedServices } from '../sync/sync-files.js';
import { reconcileListeners } from './listener-reconciler.js';

/** Skupper re-sends every 5 s; a short grace (tests) needs several snapshots within it. */
const MAX_SEND_INTERVAL_MS = 5_000;
const SNAPSHOTS_PER_GRACE = 4;
const EXPIRY_CHECK_MS = 1_000;

export class ServiceSync {
  private state: SiteState;
  private readonly table: RemoteServiceTable;
  private readonly ports: Record<string, number>;
  private readonly reports = new Map<string, HeardSite>();
  private ownReport: SiteReport | undefined = undefined;
  /** The last saved table, as written and as addresses (to log what changed). */
  private savedSynced: string;
  private savedAddresses: Set<string>;
  private link: SyncLink | undefined = undefined;
  private watcher: FSWatcher | undefined = undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly refresh: SerialTask;

  constructor(
    private readonly paths: SitePaths,
    private readonly version: string,
    private readonly log: (line: string) => void,
  ) {
    this.state = readSiteState(paths);
    const saved = readSyncedServices(paths);
    this.table = new RemoteServiceTable(saved.remote, Date.now());
    this.ports = { ...saved.ports };
    this.savedSynced = JSON.stringify(saved);
    this.savedAddresses = new Set(saved.remote.map((s) => s.address));
    this.refresh = new SerialTask(() => this.refreshSite(), (error) => log(`service sync: ${error instanceof Error ? error.message : String(error)}`));
  }

  private get graceMs(): number {
    return this.state.syncGraceSeconds * 1000;
  }

  start(): void {
    this.link = new SyncLink(this.state.ports.management, `skiff-agent-${this.state.routerId}`, { onMessage: (m) => this.receive(m), onReady: () => this.refresh.request() }, this.log);
    const interval = Math.min(MAX_SEND_INTERVAL_MS, this.graceMs / SNAPSHOTS_PER_GRACE);
    this.timers.push(setInterval(() => this.refresh.request(), interval), setInterval(() => this.expire(), EXPIRY_CHECK_MS));
    // The CLI replaces site.json by rename, so the directory is watched rather than the file.
    this.watcher = watch(this.paths.dir, (_event, file) => {
      if (file === 'site.json') this.refresh.request();
    });
    this.log(`service sync every ${interval} ms, grace ${this.state.syncGraceSeconds} s`);
    this.refresh.request();
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.watcher?.close();
    this.link?.close();
  }

  private receive(message: Message): void {
    const decoded = decodeSyncMessage(message);
    if (decoded === undefined || decoded.origin === this.state.id) return;
    const now = Date.now();
    this.table.heard(decoded.origin, now);
    if (decoded.kind === 'siteReport') {
      this.reports.set(decoded.origin, { ...decoded.report, heardAt: new Date(now).toISOString() });
      this.writeView();
      return;
    }
    if (this.table.applySnapshot(decoded.origin, decoded.definitions, localAddresses(this.state), now)) this.refresh.request();
  }

  private expire(): void {
    const silent = this.table.expire(Date.now(), this.graceMs);
    if (silent.length === 0) return;
    for (const origin of silent) {
      this.log(`site ${this.reports.get(origin)?.name ?? origin} not heard for ${this.state.syncGraceSeconds} s: its services are removed`);
      this.reports.delete(origin);
    }
    this.writeView();
    this.refresh.request();
  }

  /**
   * Re-reads the site, tells the other sites, binds what it knows. Announcing comes before any
   * management request, so a request the router is slow to answer cannot make this site go silent.
   */
  private async refreshSite(): Promise<void> {
    this.state = readSiteState(this.paths);
    this.table.yieldTo(localAddresses(this.state));
    // The last report goes first, so receivers know this site's name before they list its
    // services; the fresh one, with link states, follows once management has answered.
    const lastReport = this.ownReport ?? siteReport(this.state, [], this.state.services);
    this.link?.send([siteReportMessage(this.version, lastReport), servicesMessage(this.state.id, this.version, localDefinitions(this.state))]);
    const listeners = siteListeners(this.state, await this.saveSynced());
    await Management.with(this.state.ports.management, async (mgmt) => {
      const links = await linkStates(mgmt, this.state.links);
      const report = siteReport(this.state, links.outgoing, listeners);
      this.ownReport = report;
      this.link?.send([siteReportMessage(this.version, report)]);
      this.writeView();
      await reconcileListeners(mgmt, listeners, this.log);
    });
  }

  /** Gives every remote service a port of this site's (once, for good) and saves the table. */
  private async saveSynced(): Promise<SyncedServices> {
    const remote = this.table.list();
    for (const service of remote) for (const key of remoteRoutingKeys(service)) this.ports[key] ??= await freePort();
    const synced: SyncedServices = { remote, ports: { ...this.ports } };
    const text = JSON.stringify(synced);
    if (text === this.savedSynced) return synced;
    const now = new Set(remote.map((s) => s.address));
    for (const service of remote) {
      if (this.savedAddresses.has(service.address)) continue;
      const bound = remoteRoutingKeys(service).map((key) => (key === service.address ? `${this.ports[key]}` : `${this.ports[key]} (${key})`));
      this.log(`service ${service.address} synced from site ${this.originName(service.origin)}, bound on port ${bound.join(', ')}`);
    }
    for (const address of this.savedAddresses) if (!now.has(address)) this.log(`service ${address} removed (no longer announced)`);
    writeSyncedServices(this.paths, synced);
    this.savedSynced = text;
    this.savedAddresses = now;
    return synced;
  }

  private originName(origin: string): string {
    return this.reports.get(origin)?.name ?? origin;
  }

  private writeView(): void {
    const own = this.ownReport === undefined ? [] : [{ ...this.ownReport, heardAt: new Date().toISOString() }];
    writeNetworkView(this.paths, { sites: [...own, ...this.reports.values()] });
  }
}
