/**
 * One watched kind in the pod's namespace (client-node's ListWatch): a cache to read, a callback
 * on every change, and restarts after errors (ListWatch stops at an error and leaves restarting to
 * its user), so an apiserver that goes away for a while only delays changes.
 */
import { ListWatch, Watch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { describeApiError } from './kube-reads.js';

const RESTART_DELAY_MS = 2_000;

export class Watched<T extends KubernetesObject> {
  private readonly listWatch: ListWatch<T>;
  private stopped = false;
  private problem = '';
  private restartTimer: NodeJS.Timeout | undefined = undefined;

  constructor(
    kc: KubeConfig,
    private readonly what: string,
    private readonly namespace: string,
    path: string,
    list: () => Promise<KubernetesListObject<T>>,
    onChange: () => void,
    private readonly log: (line: string) => void,
    fieldSelector?: string,
  ) {
    this.listWatch = new ListWatch(path, new Watch(kc), list, false, undefined, fieldSelector);
    this.listWatch.on('change', () => {
      // Events flow again: a later failure is news.
      this.problem = '';
      onChange();
    });
    this.listWatch.on('error', (error: unknown) => this.failed(error));
  }

  /** Resolves after the first list (or the first failure, after which it keeps retrying). */
  async start(): Promise<void> {
    try {
      await this.listWatch.start();
    } catch (error) {
      this.failed(error);
    }
  }

  /** True once a list has succeeded: the cache reflects the API. */
  get synced(): boolean {
    return this.listWatch.latestResourceVersion() !== '';
  }

  get(name: string): T | undefined {
    return this.listWatch.get(name, this.namespace);
  }

  list(): readonly T[] {
    return this.listWatch.list(this.namespace);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.listWatch.stop();
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    // Logged once per distinct failure (a missing CRD fails every restart the same way).
    const problem = describeApiError(error).trim();
    if (problem !== this.problem) this.log(`watch of ${this.what} failed (${problem}); retrying every ${RESTART_DELAY_MS / 1000} s`);
    this.problem = problem;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.start(), RESTART_DELAY_MS);
  }
}
