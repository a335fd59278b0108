/**
 * One list-and-watch of one kind in one namespace (or all), over client-node's ListWatch, which
 * re-lists on 410 Gone and re-watches when a watch simply ends, but stops for good on any other
 * error. The reflector restarts it then, backing off 1 s doubling to 30 s, and logs a failure once
 * per kind of failure (not once per retry), and once more when it recovers.
 */
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { apiStatus, describeError } from './api-errors.js';
import type { Clock, Timer } from './clock.js';
import type { KindSpec } from './kinds.js';
import { ExponentialBackoff } from './rate-limiter.js';

export type ObjectHandler = (object: KubernetesObject) => void;

/** A run this long without failing clears the backoff, so a watch that fails rarely restarts fast. */
const HEALTHY_MS = 60_000;

export class Reflector {
  readonly informer: ListWatch<KubernetesObject>;
  private readonly backoff = new ExponentialBackoff(1000, 30_000);
  private failures = 0;
  private failure: { kind: string; reason: string } | undefined;
  private loggedKind: string | undefined;
  private restartTimer: Timer | undefined;
  private healthySince = 0;
  private hasSynced = false;
  private stopped = false;

  constructor(
    kc: KubeConfig,
    private readonly spec: KindSpec,
    /** Undefined: every namespace. */
    private readonly namespace: string | undefined,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
    onObject: ObjectHandler,
  ) {
    this.informer = new ListWatch(spec.path(namespace), new Watch(kc), () => spec.list(namespace), false, spec.labelSelector);
    for (const verb of ['add', 'update', 'delete'] as const) this.informer.on(verb, onObject);
    this.informer.on('error', (error: unknown) => this.failed(error));
  }

  /** `sites.skupper.io in west` — what this reflector covers, for logs and /readyz. */
  get name(): string {
    return `${this.spec.resource} ${this.namespace ? `in ${this.namespace}` : 'in all namespaces'}`;
  }

  /** True once the first list has completed (and stays true, as client-go's HasSynced). */
  get synced(): boolean {
    return this.hasSynced;
  }

  /** Why the watch is down now, if it is. */
  get failureReason(): string | undefined {
    return this.failure?.reason;
  }

  start(): void {
    this.stopped = false;
    void this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.restartTimer?.cancel();
    this.restartTimer = undefined;
    await this.informer.stop();
  }

  private async run(): Promise<void> {
    const before = this.failures;
    try {
      await this.informer.start();
    } catch (error) {
      this.failed(error);
      return;
    }
    if (this.failures !== before || this.stopped) return;
    this.hasSynced = true;
    this.healthySince = this.clock.now();
    if (this.failure) this.log(`watch ${this.name}: recovered after ${this.failure.kind}`);
    this.failure = undefined;
    this.loggedKind = undefined;
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    this.failures++;
    if (this.healthySince > 0 && this.clock.now() - this.healthySince > HEALTHY_MS) this.backoff.forget('watch');
    this.healthySince = 0;
    const status = apiStatus(error);
    const kind = status !== undefined ? `HTTP ${status}` : errorKind(error);
    this.failure = { kind, reason: `${this.name}: ${this.explain(status, describeError(error))}` };
    if (this.restartTimer) return;
    const delay = this.backoff.when('watch');
    if (kind !== this.loggedKind) {
      this.loggedKind = kind;
      this.log(`watch ${this.failure.reason}; retrying with backoff (next in ${delay} ms, logged again only if the failure changes)`);
    }
    this.restartTimer = this.clock.after(delay, () => {
      this.restartTimer = undefined;
      if (!this.stopped) void this.run();
    });
  }

  private explain(status: number | undefined, description: string): string {
    const where = this.namespace ? `in namespace ${this.namespace} (a Role there)` : 'in all namespaces (a ClusterRole)';
    if (status === 401 || status === 403) {
      return `${description}; the controller's ServiceAccount needs get, list and watch on ${this.spec.resource} ${where}`;
    }
    if (status === 404 && this.spec.resource.includes('.')) {
      return `${description}; is the CustomResourceDefinition ${this.spec.resource} installed? (kubectl apply -f charts/skiff/crds/)`;
    }
    return description;
  }
}

function errorKind(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.name;
  }
  return typeof error;
}
