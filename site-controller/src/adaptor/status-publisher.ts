/**
 * Network status (ADR 0004): every few seconds, and at once when another site's report arrives, it
 *
 *   QUERY connector + connection ─▶ link states ─┐
 *   QUERY tcpListener + tcpConnector ─▶ bindings ─┴▶ own report ─▶ mc/$skupper-service-sync (every 5 s
 *                                                                 and whenever it changes)
 *   reports of other sites (silent for 3 min: dropped) ─┴─▶ NetworkStatus ─▶ ConfigMap (on change)
 *
 * The report is the one local site agents send (skiff-site-report-v1), so local and Kubernetes
 * sites see each other.
 */
import type { Message } from 'rhea';
import { ManagementError, ManagementErrorCode } from '../../../common/src/amqp-management.js';
import { SerialTask } from '../../../common/src/serial-task.js';
import type { SiteReport } from '../../../common/src/site-sync/site-report.js';
import { SyncLink } from '../../../common/src/site-sync/sync-link.js';
import { decodeSyncMessage, siteReportMessage } from '../../../common/src/site-sync/sync-messages.js';
import { NetworkStatusConfigMap } from '../../../common/src/kube-api/names.js';
import type { LinkState } from '../../../common/src/kube-api/network-status.js';
import type { ConfigSync } from './config-sync.js';
import { describeApiError } from './kube-reads.js';
import { BRIDGE_ATTRIBUTES, bindings, CONNECTION_ATTRIBUTES, CONNECTOR_ATTRIBUTES, linkStates, networkStatus, ownReport, unreachableLinkStates } from './network-status.js';
import type { ReportedBinding } from '../../../common/src/site-sync/site-report.js';
import type { RouterConfig } from './router-config.js';
import type { RouterSession } from './router-session.js';
import type { SiteIdentity } from './site-identity.js';
import type { StatusConfigMap } from './status-configmap.js';

const POLL_MS = 2_000;
const REPORT_INTERVAL_MS = 5_000;
const SILENT_SITE_MS = 180_000;

export interface StatusPublisherDeps {
  managementPort: number;
  containerId: string;
  namespace: string;
  version: string;
  session: RouterSession;
  configSync: ConfigSync;
  site: SiteIdentity;
  configMap: StatusConfigMap;
  /** Called when the sync link is (re)connected: the router may have restarted. */
  onRouterReady: () => void;
  log: (line: string) => void;
}

export class StatusPublisher {
  private readonly heard = new Map<string, { report: SiteReport; at: number }>();
  private link: SyncLink | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;
  private readonly task: SerialTask;
  private sent = '';
  private sentAt = 0;
  private writeProblem = '';

  constructor(private readonly deps: StatusPublisherDeps) {
    let last = '';
    this.task = new SerialTask(() => this.refresh(), (error) => {
      // The next poll tries again; a failure that repeats is logged once.
      const message = `network status: ${error instanceof Error ? error.message : String(error)}`;
      if (message !== last) this.deps.log(message);
      last = message;
    });
  }

  start(): void {
    this.link = new SyncLink(this.deps.managementPort, this.deps.containerId, {
      onMessage: (message) => this.receive(message),
      onReady: () => {
        this.sentAt = 0;
        this.task.request();
        this.deps.onRouterReady();
      },
    }, this.deps.log);
    this.timer = setInterval(() => this.task.request(), POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.link?.close();
  }

  private receive(message: Message): void {
    const decoded = decodeSyncMessage(message);
    if (decoded?.kind !== 'siteReport' || decoded.origin === this.deps.site.current()?.uid) return;
    const before = this.heard.get(decoded.origin);
    if (before === undefined) this.deps.log(`site ${decoded.report.name} (${decoded.origin}) heard`);
    this.heard.set(decoded.origin, { report: decoded.report, at: Date.now() });
    if (JSON.stringify(before?.report) !== JSON.stringify(decoded.report)) this.task.request();
  }

  private async refresh(): Promise<void> {
    const config = this.deps.configSync.config;
    const site = await this.deps.site.resolve();
    if (config === undefined || site === undefined) return;
    const now = Date.now();
    for (const [origin, { report, at }] of this.heard) {
      if (now - at <= SILENT_SITE_MS) continue;
      this.heard.delete(origin);
      this.deps.log(`site ${report.name} (${origin}) not heard for ${SILENT_SITE_MS / 1000} s: dropped from the network status`);
    }
    const heard = [...this.heard.values()].map((h) => h.report);
    const { links, bridges } = await this.routerState(config, heard);
    const own = ownReport({ id: site.uid, name: site.name, namespace: this.deps.namespace }, config, links, bridges);
    const text = JSON.stringify(own);
    if (text !== this.sent || now - this.sentAt >= REPORT_INTERVAL_MS) {
      this.link?.send([siteReportMessage(this.deps.version, own)]);
      this.sent = text;
      this.sentAt = now;
    }
    await this.writeStatus(networkStatus(own, links, heard), site);
  }

  /** Link states and bindings from the router, or all links down (saying why) and no bindings while it does not answer. */
  private async routerState(config: RouterConfig, heard: readonly SiteReport[]): Promise<{ links: LinkState[]; bridges: ReportedBinding[] }> {
    try {
      const mgmt = await this.deps.session.get();
      const connectors = await mgmt.query('connector', CONNECTOR_ATTRIBUTES);
      const connections = await mgmt.query('connection', CONNECTION_ATTRIBUTES);
      const tcpListeners = await mgmt.query('tcpListener', BRIDGE_ATTRIBUTES);
      const tcpConnectors = await mgmt.query('tcpConnector', BRIDGE_ATTRIBUTES);
      return { links: linkStates(config, connectors, connections, heard, (entity) => this.deps.configSync.problemOf(entity)), bridges: bindings(tcpListeners, tcpConnectors) };
    } catch (error) {
      if (!(error instanceof ManagementError)) throw error;
      const why = error.code === ManagementErrorCode.SKIFF_ERR_MANAGEMENT_REFUSED ? error.message : 'no answer on its management port';
      return { links: unreachableLinkStates(config, why), bridges: [] };
    }
  }

  private async writeStatus(status: ReturnType<typeof networkStatus>, site: { name: string; uid: string }): Promise<void> {
    let problem = '';
    try {
      await this.deps.configMap.write(status, site);
    } catch (error) {
      problem = `cannot write ConfigMap ${NetworkStatusConfigMap}: ${describeApiError(error)}`;
    }
    if (problem !== '' && problem !== this.writeProblem) this.deps.log(problem);
    this.writeProblem = problem;
  }
}
