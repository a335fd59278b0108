/**
 * Keeps the running router at ConfigMap `skupper-router` without restarting it (ADR 0004):
 *
 *   ConfigMap watch ─┐                        ┌─▶ sslProfile files (before the CREATE that needs them)
 *   Secret watch ────┼─▶ request ─▶ sync ─────┼─▶ QUERY sslProfile, connector, listener, tcp* ─▶ planSync
 *   every 5 s ───────┘   (SerialTask)         └─▶ DELETE / CREATE over management
 *
 * Level-based: each run reads the whole config and the router's whole state, so a missed event, a
 * router restart (its config file may be older than the ConfigMap) or a failed request is made
 * good by the next run. An entity whose sslProfile's Secret is missing is held as it is.
 */
import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import type { AmqpManagement } from '../../../common/src/amqp-management.js';
import { ManagementError, ManagementErrorCode } from '../../../common/src/amqp-management.js';
import { SerialTask } from '../../../common/src/serial-task.js';
import { RouterConfigKey, RouterConfigMap, profileSecret } from '../../../common/src/kube-api/names.js';
import { profileDigest, profileFilesOf, removeStaleProfiles, writeProfileFiles } from './cert-files.js';
import { planSync, refKey, usersOf, type EntityRef } from './entity-diff.js';
import { parseRouterConfig, sslProfiles, SyncedTypes, type RouterConfig, type RouterEntity } from './router-config.js';
import type { RouterSession } from './router-session.js';
import type { Watched } from './watched.js';

const RESYNC_MS = 5_000;
const RETRY_MS = 1_000;

/** What a missing Secret's problem is reported under: problemOf() looks it up by the same key. */
function secretSubject(secret: string): string {
  return `secret ${secret}`;
}

export interface ConfigSyncDeps {
  certsDir: string;
  session: RouterSession;
  configMaps: Watched<V1ConfigMap>;
  secrets: Watched<V1Secret>;
  log: (line: string) => void;
}

export class ConfigSync {
  /** The config of the last run, for the network status (links, router id). */
  config: RouterConfig | undefined = undefined;
  /** True once a run brought the router to the config. */
  synced = false;
  /** Digest of each sslProfile's files as the router loaded them. */
  private readonly loaded = new Map<string, string>();
  /** The last problem logged per subject, so a repeated failure is logged once. */
  private readonly reported = new Map<string, string>();
  private readonly task: SerialTask;
  private readonly timers: NodeJS.Timeout[] = [];
  private retry: NodeJS.Timeout | undefined = undefined;

  constructor(private readonly deps: ConfigSyncDeps) {
    this.task = new SerialTask(() => this.run(), (error) => this.failed(error));
  }

  start(): void {
    this.timers.push(setInterval(() => this.request(), RESYNC_MS));
    this.request();
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.retry);
  }

  request(): void {
    this.task.request();
  }

  private async run(): Promise<void> {
    const config = this.readConfig();
    if (config === undefined) return;
    this.config = config;
    const { missing, changed, digests } = this.writeProfiles(config);
    const mgmt = await this.deps.session.get();
    const actual = await queryEntities(mgmt);
    const plan = planSync({ desired: config.entities, actual, changedProfiles: changed, held: usersOf(config.entities, missing) });
    let failures = 0;
    for (const ref of plan.deletes) failures += await this.apply(ref, 'deleted', () => mgmt.delete(ref.type, ref.name));
    for (const entity of plan.creates) failures += await this.apply(entity, 'created', () => mgmt.create(entity.type, entity.attributes));
    for (const [profile, digest] of digests) if (failures === 0 || !changed.has(profile)) this.loaded.set(profile, digest);
    // A refused request is retried by the next periodic run, not at once: it is likely refused again.
    if (failures > 0) return;
    const wanted = new Set(sslProfiles(config));
    for (const profile of removeStaleProfiles(this.deps.certsDir, wanted)) this.deps.log(`sslProfile ${profile}: files removed (no longer in the config)`);
    if (!this.synced) this.deps.log(`router in sync with ConfigMap ${RouterConfigMap} (${config.entities.length} entities)`);
    this.synced = true;
  }

  /**
   * Why an entity of the config is not on the router as configured, as far as this adaptor knows:
   * the router refused it, or its sslProfile's Secret is missing (it is held). Undefined otherwise.
   */
  problemOf(entity: RouterEntity): string | undefined {
    const refused = this.reported.get(refKey(entity));
    if (refused !== undefined) return refused;
    const profile = entity.attributes['sslProfile'];
    return typeof profile === 'string' ? this.reported.get(secretSubject(profileSecret(profile))) : undefined;
  }

  private readConfig(): RouterConfig | undefined {
    const text = this.deps.configMaps.get(RouterConfigMap)?.data?.[RouterConfigKey];
    if (text === undefined) {
      this.report('config', this.deps.configMaps.synced ? `ConfigMap ${RouterConfigMap} or its key ${RouterConfigKey} is missing; waiting for the site controller` : undefined);
      return undefined;
    }
    try {
      const config = parseRouterConfig(text);
      this.report('config', undefined);
      return config;
    } catch (error) {
      this.report('config', `${(error as Error).message}; the router is left as it is`);
      return undefined;
    }
  }

  /** Writes every profile's files whose Secret exists; says which are missing and which changed. */
  private writeProfiles(config: RouterConfig): { missing: Set<string>; changed: Set<string>; digests: Map<string, string> } {
    const missing = new Set<string>();
    const changed = new Set<string>();
    const digests = new Map<string, string>();
    for (const profile of sslProfiles(config)) {
      const secretName = profileSecret(profile);
      const secret = this.deps.secrets.get(secretName);
      this.report(secretSubject(secretName), secret === undefined ? `Secret ${secretName} (for sslProfile ${profile}) not found; sslProfile ${profile} and its users are left as they are` : undefined);
      if (secret === undefined) {
        missing.add(profile);
        continue;
      }
      const files = profileFilesOf(secret);
      const digest = profileDigest(files);
      if (writeProfileFiles(this.deps.certsDir, profile, files)) this.deps.log(`sslProfile ${profile}: files written from Secret ${secretName}`);
      const before = this.loaded.get(profile);
      if (before !== undefined && before !== digest) changed.add(profile);
      digests.set(profile, digest);
    }
    return { missing, changed, digests };
  }

  /** Runs one request; returns 1 when it failed (logged), 0 when it succeeded. */
  private async apply(ref: EntityRef, done: string, request: () => Promise<void>): Promise<number> {
    try {
      await request();
      this.deps.log(`${ref.type} ${ref.name}: ${done}`);
      this.report(refKey(ref), undefined);
      return 0;
    } catch (error) {
      if (!(error instanceof ManagementError) || error.code !== ManagementErrorCode.SKIFF_ERR_MANAGEMENT_REFUSED) throw error;
      // Deleted meanwhile (a router restart from an older config): what was wanted.
      if (done === 'deleted' && error.status === 404) return 0;
      this.report(refKey(ref), `${ref.type} ${ref.name} not ${done}: ${error.message}`);
      return 1;
    }
  }

  private failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ManagementError) this.deps.session.lost(message);
    else this.report('sync', `sync failed: ${message}`);
    this.retryLater();
  }

  private retryLater(): void {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.request(), RETRY_MS);
  }

  /** Logs a subject's problem when it is new; `undefined` clears it (logged as resolved). */
  private report(subject: string, problem: string | undefined): void {
    const before = this.reported.get(subject);
    if (problem === before) return;
    if (problem === undefined) {
      this.reported.delete(subject);
      if (subject === 'config' || subject.startsWith(secretSubject(''))) this.deps.log(`${subject}: ok now`);
      return;
    }
    this.reported.set(subject, problem);
    this.deps.log(problem);
  }
}

async function queryEntities(mgmt: AmqpManagement): Promise<RouterEntity[]> {
  const entities: RouterEntity[] = [];
  for (const type of SyncedTypes) {
    for (const row of await mgmt.query(type)) entities.push({ type, name: String(row.name), attributes: row });
  }
  return entities;
}
