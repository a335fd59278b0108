/**
 * The cluster and namespace a command works on: the kubeconfig (`--kubeconfig`, else every file in
 * $KUBECONFIG, else ~/.kube/config, else the pod's service account when run in a cluster), the
 * context (`--context`, else the current one) and the namespace (`-n`, else the context's, else
 * `default`).
 */
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { kubeconfigFiles } from './platform-choice.js';

export interface KubeTarget {
  kc: KubeConfig;
  namespace: string;
  /** The context's name, or `in-cluster`. */
  context: string;
  /** The API server's URL, for messages. */
  server: string;
}

const DEFAULT_NAMESPACE = 'default';

export function kubeTarget(deps: CliDeps, global: GlobalOptions): KubeTarget {
  const kc = loadKubeConfig(deps.env, global.kubeconfig);
  if (global.context !== undefined) {
    if (kc.getContextObject(global.context) === null) {
      const names = kc.getContexts().map((c) => c.name);
      throw configError(`no context named '${global.context}' in the kubeconfig`, names.length === 0 ? 'the kubeconfig has no contexts' : `contexts: ${names.join(', ')}`);
    }
    kc.setCurrentContext(global.context);
  }
  const context = kc.getCurrentContext();
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) throw configError(`kubeconfig context '${context}' names no cluster`, 'choose another with --context, or fix the kubeconfig');
  const namespace = global.namespace ?? kc.getContextObject(context)?.namespace ?? DEFAULT_NAMESPACE;
  return { kc, namespace, context, server };
}

function loadKubeConfig(env: Readonly<Record<string, string | undefined>>, explicit: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  const files = explicit === undefined ? kubeconfigFiles(env).filter((f) => existsSync(f)) : [explicit];
  try {
    if (files.length > 0) {
      const [first, ...rest] = files as [string, ...string[]];
      kc.loadFromFile(first);
      // As kubectl merges $KUBECONFIG: the first file's current context wins.
      for (const file of rest) {
        const part = new KubeConfig();
        part.loadFromFile(file);
        kc.mergeConfig(part, true);
      }
    } else if (env.KUBERNETES_SERVICE_HOST) {
      kc.loadFromCluster();
    } else {
      throw configError('no kubeconfig found ($KUBECONFIG and ~/.kube/config are absent)', 'point --kubeconfig or KUBECONFIG at one, or use --platform local for a site on this machine');
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw configError(`cannot load kubeconfig ${files.join(', ')}: ${(error as Error).message.split('\n')[0] ?? ''}`, 'check the file, or give another with --kubeconfig');
  }
  return kc;
}

function configError(message: string, hint: string): CliError {
  return new CliError(ErrorCode.SKIFF_ERR_KUBE_CONFIG, message, hint);
}
