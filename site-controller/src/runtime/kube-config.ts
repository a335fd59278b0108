/**
 * Where the controller's API access and settings come from: the pod's ServiceAccount when it runs in
 * a cluster (KUBERNETES_SERVICE_HOST is set), else KUBECONFIG or ~/.kube/config; settings from the
 * environment variables named in common/src/kube-api/names.ts Env.
 */
import { existsSync, readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { packageVersion } from '../../../common/src/package-version.js';
import { Env, MANAGED_BY, Port } from '../../../common/src/kube-api/names.js';
import type { ControllerSettings } from './context.js';
import { ControllerError, ControllerErrorCode } from './errors.js';

type Environment = Readonly<Record<string, string | undefined>>;

/** The namespace of the pod's ServiceAccount, mounted by Kubernetes beside its token. */
export const ServiceAccountNamespaceFile = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** RFC 1123 label: what a namespace name may be. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function loadKubeConfig(env: Environment): KubeConfig {
  const kc = new KubeConfig();
  const inCluster = Boolean(env.KUBERNETES_SERVICE_HOST);
  try {
    if (inCluster) kc.loadFromCluster();
    else kc.loadFromDefault();
  } catch (error) {
    const source = inCluster ? 'the pod\'s ServiceAccount (KUBERNETES_SERVICE_HOST is set)' : `KUBECONFIG (${env.KUBECONFIG || '~/.kube/config'})`;
    throw new ControllerError(ControllerErrorCode.SKIFF_ERR_CONTROLLER_SETTINGS, `cannot load API access from ${source}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return kc;
}

export function controllerSettings(env: Environment, namespaceFile = ServiceAccountNamespaceFile): ControllerSettings {
  const namespace = ownNamespace(env, namespaceFile);
  const version = packageVersion();
  return {
    namespace,
    watchNamespaces: watchNamespaces(env[Env.watchNamespaces], namespace),
    routerImage: env[Env.routerImage] || `skiff/router:${version}`,
    adaptorImage: env[Env.adaptorImage] || `skiff/site-controller:${version}`,
    serviceControllerImage: env[Env.serviceControllerImage] || `skiff/service-controller:${version}`,
    nodePortHost: env[Env.nodePortHost] || undefined,
    controllerName: MANAGED_BY,
    version,
  };
}

export function healthPort(env: Environment): number {
  const text = env[Env.healthPort];
  if (text === undefined || text === '') return Port.controllerHealth;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ControllerError(ControllerErrorCode.SKIFF_ERR_CONTROLLER_SETTINGS, `${Env.healthPort} is '${text}'; expected a port number 0-65535 (default ${Port.controllerHealth})`);
  }
  return port;
}

function ownNamespace(env: Environment, namespaceFile: string): string {
  const fromEnv = env[Env.podNamespace];
  if (fromEnv) return checkNamespace(fromEnv, Env.podNamespace);
  if (existsSync(namespaceFile)) return checkNamespace(readFileSync(namespaceFile, 'utf8').trim(), namespaceFile);
  throw new ControllerError(
    ControllerErrorCode.SKIFF_ERR_CONTROLLER_SETTINGS,
    `${Env.podNamespace} is not set and ${namespaceFile} does not exist; set ${Env.podNamespace} to the controller's namespace (the chart sets it from metadata.namespace)`,
  );
}

/** Unset or empty: the controller's own namespace; `*`: all (undefined); `a,b`: those. */
export function watchNamespaces(text: string | undefined, own: string): string[] | undefined {
  const value = text?.trim() ?? '';
  if (value === '') return [own];
  if (value === '*') return undefined;
  const names = [...new Set(value.split(',').map((n) => n.trim()).filter((n) => n !== ''))];
  for (const name of names) checkNamespace(name, Env.watchNamespaces);
  return names;
}

function checkNamespace(name: string, source: string): string {
  if (!NAMESPACE.test(name)) {
    throw new ControllerError(
      ControllerErrorCode.SKIFF_ERR_CONTROLLER_SETTINGS,
      `${source}: '${name}' is not a namespace name (lower-case letters, digits and '-', at most 63); ${Env.watchNamespaces} takes '*' or a comma-separated list`,
    );
  }
  return name;
}
