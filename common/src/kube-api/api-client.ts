/**
 * API clients that wait and retry when the API server asks them to, as client-go does: a 429
 * (too many requests, or a resource's storage still initialising just after its CRD appeared)
 * or a 5xx that carries Retry-After means the request was not served, so sending it again is
 * safe. Other answers reach the caller at once.
 */
import {
  IsomorphicFetchHttpLibrary,
  ServerConfiguration,
  createConfiguration,
  wrapHttpLibrary,
  type Configuration,
  type KubeConfig,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';

/** At most this many sends per request (client-go's default too). */
const MAX_ATTEMPTS = 10;
/** Waits are clamped to this, whatever Retry-After says. */
const MAX_WAIT_MS = 5_000;
const DEFAULT_WAIT_MS = 1_000;

export function apiClient<T>(kc: KubeConfig, type: new (configuration: Configuration) => T): T {
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) throw new Error(`kubeconfig context '${kc.getCurrentContext()}' names no cluster`);
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kc },
    httpApi: retrying(new IsomorphicFetchHttpLibrary()),
  });
  return new type(configuration);
}

/** How long to wait before sending again, or undefined when the answer is final. */
export function retryDelayMs(status: number, retryAfter: string | undefined): number | undefined {
  if (status !== 429 && !(status >= 500 && retryAfter !== undefined)) return undefined;
  const seconds = retryAfter === undefined ? Number.NaN : Number(retryAfter);
  const wait = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_WAIT_MS;
  return Math.min(Math.max(wait, 100), MAX_WAIT_MS);
}

function retrying(inner: IsomorphicFetchHttpLibrary): ReturnType<typeof wrapHttpLibrary> {
  return wrapHttpLibrary({
    async send(request: RequestContext): Promise<ResponseContext> {
      for (let attempt = 1; ; attempt++) {
        const response = await inner.send(request).toPromise();
        const wait = attempt < MAX_ATTEMPTS ? retryDelayMs(response.httpStatusCode, response.headers['retry-after']) : undefined;
        if (wait === undefined) return response;
        await response.body.text(); // frees the connection for the next attempt
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
  });
}
