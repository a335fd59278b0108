/**
 * A list-and-watch cache over client-node's informer: it keeps the objects by namespace/name,
 * restarts the informer when its watch fails (as a reflector does), and calls `onChange` once
 * per burst of events so that consumers recompute from the whole cache, never per event.
 */
import { makeInformer, type Informer, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';

const RESTART_DELAY_MS = 1000;
const DEBOUNCE_MS = 50;

export function objectKey(obj: KubernetesObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

export class WatchCache<T extends KubernetesObject> {
  private readonly objects = new Map<string, T>();
  private readonly informer: Informer<T>;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private synced = false;
  private readonly listeners: (() => void)[] = [];

  constructor(kc: KubeConfig, path: string, list: () => Promise<KubernetesListObject<T>>) {
    this.informer = makeInformer(kc, path, list);
    const put = (obj: T) => {
      this.objects.set(objectKey(obj), obj);
      this.changed();
    };
    this.informer.on('add', put);
    this.informer.on('update', put);
    this.informer.on('delete', (obj) => {
      this.objects.delete(objectKey(obj));
      this.changed();
    });
    this.informer.on('error', () => {
      if (this.stopped) return;
      setTimeout(() => {
        if (!this.stopped) this.informer.start().catch(() => undefined);
      }, RESTART_DELAY_MS).unref();
    });
  }

  /** Registers a listener called (debounced) after changes. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    await this.informer.start();
    this.synced = true;
    this.changed();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.informer.stop();
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  private changed(): void {
    if (!this.synced || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const listener of this.listeners) listener();
    }, DEBOUNCE_MS);
  }
}
