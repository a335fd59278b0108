/** The adaptor's direct reads through the API (its watches are in watches.ts); a 404 is `undefined`. */
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, type V1ConfigMap, type V1Secret } from '@kubernetes/client-node';
import { GROUP, Plural, VERSION, type Site } from '../../../common/src/kube-api/types.js';

/** In a pod: the service account (in-cluster); elsewhere: KUBECONFIG or ~/.kube/config. */
export function loadKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return kc;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiException && error.code === 409;
}

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export function readConfigMap(kc: KubeConfig, namespace: string, name: string): Promise<V1ConfigMap | undefined> {
  return orUndefined(kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ namespace, name }));
}

export function readSecret(kc: KubeConfig, namespace: string, name: string): Promise<V1Secret | undefined> {
  return orUndefined(kc.makeApiClient(CoreV1Api).readNamespacedSecret({ namespace, name }));
}

export async function readSite(kc: KubeConfig, namespace: string, name: string): Promise<Site | undefined> {
  const read = kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Site, name });
  return (await orUndefined(read as Promise<Site>));
}

/** A short description of an API failure for a log line. */
export function describeApiError(error: unknown): string {
  if (error instanceof ApiException) {
    const body = error.body as { message?: string } | string | undefined;
    const message = typeof body === 'object' && body !== null && typeof body.message === 'string' ? body.message : String(body ?? '');
    return `HTTP ${error.code}${message === '' ? '' : `: ${message}`}`;
  }
  return error instanceof Error ? error.message : String(error);
}
