/**
 * A list/watch of one kind in one namespace that restarts itself after a failed watch (client-node's
 * ListWatch stops on an error), until stopped.
 */
import { ListWatch, Watch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';

const RESTART_MS = 1000;

export interface Watched<T> {
  list(): readonly T[];
  /** Resolves once the first list has been read (or has failed and a restart is due). */
  started: Promise<void>;
  stop(): Promise<void>;
}

export function watchObjects<T extends KubernetesObject>(
  kubeConfig: KubeConfig,
  what: { path: string; namespace: string; list: () => Promise<KubernetesListObject<T>>; fieldSelector?: string },
  onChange: (object: T) => void,
  log: (line: string) => void,
): Watched<T> {
  const informer = new ListWatch<T>(what.path, new Watch(kubeConfig), what.list, false, undefined, what.fieldSelector);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  informer.on('add', onChange);
  informer.on('update', onChange);
  informer.on('error', (error: unknown) => {
    if (stopped) return;
    log(`watch of ${what.path} failed (${error instanceof Error ? error.message : String(error)}); restarting in ${RESTART_MS} ms`);
    timer = setTimeout(() => void informer.start(), RESTART_MS);
  });
  return {
    list: () => informer.list(what.namespace),
    started: informer.start(),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await informer.stop();
    },
  };
}
