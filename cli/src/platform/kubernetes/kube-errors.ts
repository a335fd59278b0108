/**
 * Turns what the Kubernetes client throws into CliErrors with stable codes: the API server not
 * reached, a request refused by RBAC (naming the verb and resource, and the Role that allows it),
 * Skiff's CRDs missing, and any other API answer with its status and message.
 */
import { ApiException } from '@kubernetes/client-node';
import { CliError, ErrorCode } from '../../errors.js';

/** What a request was doing, as RBAC names it: `create` `sites.skupper.io` in `west`. */
export interface KubeAction {
  verb: string;
  /** `<plural>` for the core group, `<plural>.<group>` otherwise (as `kubectl create role --resource` takes it). */
  resource: string;
  namespace: string;
  name?: string;
}

interface ApiStatus {
  kind?: string;
  message?: string;
  reason?: string;
  details?: { name?: string; kind?: string };
}

/** The parsed Status body of an API error, if it has one. */
export function apiStatus(error: ApiException<unknown>): ApiStatus | undefined {
  const body = error.body;
  if (typeof body === 'object' && body !== null) return body as ApiStatus;
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as ApiStatus) : undefined;
  } catch {
    return undefined;
  }
}

/** A 404 for a whole resource type (no Status naming an object): the API does not serve it. */
export function resourceMissing(error: ApiException<unknown>): boolean {
  return error.code === 404 && apiStatus(error)?.details?.name === undefined;
}

export function kubeError(error: unknown, action: KubeAction, server: string): CliError {
  const what = `${action.verb} ${action.resource}${action.name === undefined ? '' : ` '${action.name}'`} in namespace ${action.namespace}`;
  if (error instanceof CliError) return error;
  if (!(error instanceof ApiException)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new CliError(ErrorCode.SKIFF_ERR_KUBE_UNREACHABLE, `cannot reach the Kubernetes API server at ${server} (${reason})`, 'check that the cluster runs and that --context/--kubeconfig point at it', { cause: error });
  }
  const status = apiStatus(error);
  const message = status?.message ?? `HTTP ${error.code}`;
  if (error.code === 401) {
    return new CliError(ErrorCode.SKIFF_ERR_KUBE_FORBIDDEN, `the API server at ${server} did not accept the kubeconfig's credentials (${message})`, 'log in again, or choose another --context', { cause: error });
  }
  if (error.code === 403) {
    return new CliError(ErrorCode.SKIFF_ERR_KUBE_FORBIDDEN, `forbidden: you may not ${what} (${message})`, `ask for a Role in ${action.namespace} that allows it, e.g. 'kubectl create role skiff-user -n ${action.namespace} --verb=${action.verb} --resource=${action.resource}' bound to you`, { cause: error });
  }
  if (action.resource.endsWith('.skupper.io') && resourceMissing(error)) return noCrds(action.resource, error);
  return new CliError(ErrorCode.SKIFF_ERR_KUBE_API, `cannot ${what}: ${message} (HTTP ${error.code})`, 'read the message; `kubectl describe` the object for more', { cause: error });
}

export function noCrds(resource: string, cause?: unknown): CliError {
  return new CliError(ErrorCode.SKIFF_ERR_NO_CRDS, `Skiff's CRDs are not installed in this cluster (the API server does not serve ${resource})`, 'an admin installs them once with the chart: helm install skiff charts/skiff -n NAMESPACE (or kubectl apply -f charts/skiff/crds/)', { cause });
}
