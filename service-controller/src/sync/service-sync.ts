/**
 * Service sync on a Kubernetes site (ADR 0005), the protocol local site agents speak
 * (common/src/site-sync/sync-messages.ts), with the Site's uid as origin:
 *
 *   announce Listeners (cache) ──▶ definitions ──▶ mc/$skupper-service-sync   every interval, and at
 *                                                                             once when they change
 *   others' snapshots ──▶ RemoteServiceTable ──▶ key ──▶ reconcile: synced Listeners = the table
 *   silent origins (longer than the grace) ──▶ expire ──┘          (server-side apply / delete)
 *
 * It runs as one registration whose key is the Site's: Listener and Site events and its own
 * events (a snapshot that changed the table, an origin expired, the first start) enqueue that key.
 * Its link and timers run while the controller runs, which the runtime starts only once the caches
 * have synced: so nothing is announced from an empty cache (receivers drop what a snapshot leaves
 * out), and the table is seeded from the synced Listeners already there, so a restart deletes
 * nothing that is still announced somewhere.
 */
import type { Message } from 'rhea';
import { Annotation } from '../../../common/src/kube-api/names.js';
import type { Connector, Listener, Site } from '../../../common/src/kube-api/types.js';
import { RemoteServiceTable } from '../../../common/src/site-sync/remote-services.js';
import { SyncLink } from '../../../common/src/site-sync/sync-link.js';
import { decodeSyncMessage, servicesMessage } from '../../../common/src/site-sync/sync-messages.js';
import type { KeySource, ReconcilerRegistration } from '../../../site-controller/src/runtime/context.js';
import type { ObjectKey, Reconciler, ReconcileResult } from '../../../site-controller/src/runtime/reconciler.js';
import { siteKey, type ServiceControllerDeps } from '../deps.js';
import { headlessAddresses, withHeadless } from '../headless/headless-definitions.js';
import { announcedDefinitions, localAddresses } from './announced-definitions.js';
import { seedFromListeners, syncedListeners, syncPlan, type SyncSite } from './synced-listeners.js';

/** Skupper re-sends every 5 s; a short grace (tests) needs several snapshots within it. */
const MAX_SEND_INTERVAL_MS = 5_000;
const MIN_SEND_INTERVAL_MS = 250;
const SNAPSHOTS_PER_GRACE = 4;
const EXPIRY_CHECK_MS = 1_000;

export class ServiceSync implements Reconciler, KeySource {
  readonly kind = 'ServiceSync';
  private table: RemoteServiceTable | undefined = undefined;
  private originNames = new Map<string, string>();
  private link: SyncLink | undefined = undefined;
  private timers: NodeJS.Timeout[] = [];
  private enqueue: ((key: ObjectKey) => void) | undefined = undefined;
  /** The last snapshot sent, to send a changed one at once. */
  private announced = '';
  /** Names of desired Listeners held by a Listener service sync did not make, logged once. */
  private blocked = new Set<string>();
  private siteProblem = '';

  constructor(private readonly deps: ServiceControllerDeps) {}

  get registration(): ReconcilerRegistration {
    const key = siteKey(this.deps.ctx.settings);
    const toKey = (): ObjectKey[] => [key];
    return {
      reconciler: this,
      primary: 'listeners',
      primaryKeys: toKey,
      watches: [
        { cache: 'sites', map: (site) => (site.metadata?.name === key.name ? [key] : []) },
        // Headless StatefulSets are announced from their per-pod Connectors.
        { cache: 'connectors', map: toKey },
      ],
      sources: [this],
    };
  }

  private get graceMs(): number {
    return this.deps.ctx.settings.syncGraceSeconds * 1000;
  }

  /** Starts the link and timers; called by the controller once the caches have synced. */
  subscribe(enqueue: (key: ObjectKey) => void): () => void {
    const { settings, log } = this.deps.ctx;
    this.enqueue = enqueue;
    this.link = new SyncLink(settings.managementPort, `skiff-service-sync-${settings.podName || settings.siteName}`, {
      onMessage: (message) => this.receive(message),
      onReady: () => this.announce(true),
    }, log);
    const interval = Math.max(MIN_SEND_INTERVAL_MS, Math.min(MAX_SEND_INTERVAL_MS, this.graceMs / SNAPSHOTS_PER_GRACE));
    this.timers = [setInterval(() => this.announce(true), interval), setInterval(() => this.expire(), EXPIRY_CHECK_MS)];
    log(`service sync every ${interval} ms, grace ${settings.syncGraceSeconds} s`);
    this.request();
    return () => this.stop();
  }

  private stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.link?.close();
    this.link = undefined;
    this.enqueue = undefined;
  }

  private request(): void {
    this.enqueue?.(siteKey(this.deps.ctx.settings));
  }

  private listeners(): Listener[] {
    return this.deps.ctx.caches.listeners.list(this.deps.ctx.settings.namespace);
  }

  private connectors(): Connector[] {
    return this.deps.ctx.caches.connectors.list(this.deps.ctx.settings.namespace);
  }

  /** Addresses defined here: by Listeners, and by the Connectors of headless StatefulSets. */
  private localAddresses(): Set<string> {
    return new Set([...localAddresses(this.listeners()), ...headlessAddresses(this.connectors())]);
  }

  private site(): Site | undefined {
    const { namespace, siteName } = this.deps.ctx.settings;
    return this.deps.ctx.caches.sites.get(namespace, siteName);
  }

  /** Sends this site's definitions: always when `always`, else only when they changed. */
  private announce(always: boolean): void {
    const origin = this.site()?.metadata.uid;
    if (this.table === undefined || origin === undefined || this.link === undefined) return;
    const definitions = withHeadless(announcedDefinitions(this.listeners()), this.connectors());
    const text = JSON.stringify(definitions);
    if (!always && text === this.announced) return;
    if (text !== this.announced) this.deps.ctx.log(`announcing ${definitions.length === 0 ? 'no services' : definitions.map((d) => `${d.address}:${d.ports.join(',')}`).join(' ')}`);
    this.announced = text;
    this.link.send([servicesMessage(origin, this.deps.ctx.settings.version, definitions)]);
  }

  private receive(message: Message): void {
    const decoded = decodeSyncMessage(message);
    // Until the first reconcile has seeded the table, snapshots are let go: they come again.
    if (decoded === undefined || this.table === undefined || decoded.origin === this.site()?.metadata.uid) return;
    const now = Date.now();
    this.table.heard(decoded.origin, now);
    if (decoded.kind === 'siteReport') {
      if (this.originNames.get(decoded.origin) === decoded.report.name) return;
      this.originNames.set(decoded.origin, decoded.report.name);
      if (this.table.list().some((s) => s.origin === decoded.origin)) this.request();
      return;
    }
    if (this.table.applySnapshot(decoded.origin, decoded.definitions, this.localAddresses(), now)) this.request();
  }

  private expire(): void {
    const silent = this.table?.expire(Date.now(), this.graceMs) ?? [];
    for (const origin of silent) this.deps.ctx.log(`site ${this.originNames.get(origin) ?? origin} not heard for ${this.deps.ctx.settings.syncGraceSeconds} s: its services are removed`);
    if (silent.length > 0) this.request();
  }

  async reconcile(): Promise<ReconcileResult | undefined> {
    const { settings, log } = this.deps.ctx;
    const site = this.site();
    const uid = site?.metadata.uid;
    if (uid === undefined) {
      this.reportSite(`Site ${settings.siteName} not found in namespace ${settings.namespace}; service sync waits for it`);
      return undefined;
    }
    this.reportSite('');
    const listeners = this.listeners();
    if (this.table === undefined) {
      const seed = seedFromListeners(listeners);
      this.table = new RemoteServiceTable(seed.services, Date.now());
      this.originNames = seed.originNames;
      if (seed.services.length > 0) log(`service sync starts from ${seed.services.length} synced service(s): ${seed.services.map((s) => s.address).join(', ')}`);
    }
    this.table.yieldTo(this.localAddresses());
    this.announce(false);
    const syncSite: SyncSite = { namespace: settings.namespace, name: settings.siteName, uid };
    const plan = syncPlan(syncedListeners(this.table.list(), syncSite, this.originNames), listeners);
    this.logBlocked(plan.blocked);
    for (const listener of plan.apply) {
      await this.deps.writer.apply(listener);
      log(`synced Listener ${listener.metadata.name} applied (${listener.spec?.host}:${listener.spec?.port} → ${listener.spec?.routingKey}, from site ${listener.metadata.annotations?.[Annotation.originSiteName] ?? '?'})`);
    }
    for (const listener of plan.remove) {
      await this.deps.writer.deleteIfExists(listener);
      log(`synced Listener ${listener.metadata.name} deleted (${listener.spec?.host}:${listener.spec?.port} no longer announced)`);
    }
    return undefined;
  }

  private logBlocked(blocked: readonly Listener[]): void {
    for (const listener of blocked) {
      if (this.blocked.has(listener.metadata.name)) continue;
      this.deps.ctx.log(`service ${listener.spec?.host ?? ''} of another site is not synced here: Listener ${listener.metadata.name} exists and service sync did not make it; rename or delete it to receive the service`);
    }
    this.blocked = new Set(blocked.map((l) => l.metadata.name));
  }

  private reportSite(problem: string): void {
    if (problem !== '' && problem !== this.siteProblem) this.deps.ctx.log(problem);
    this.siteProblem = problem;
  }
}
