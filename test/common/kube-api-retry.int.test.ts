/**
 * The CLI's API clients send a request again when the API server answers 429 (as a fresh CRD's
 * storage does while it initialises) or a 5xx with Retry-After, and give every other answer to
 * the caller at once. A plain HTTP server plays the API server's transport here: what is under
 * test is the retry over real sockets, not API semantics.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { apiClient, retryDelayMs } from '../../common/src/kube-api/api-client.js';

interface Answer {
  status: number;
  headers?: Record<string, string>;
}

let server: Server | undefined;

afterEach(async () => {
  server?.close();
  if (server !== undefined) await once(server, 'close');
  server = undefined;
});

/** Serves `answers` in order (the last one for ever after); returns the client and a request count. */
async function apiServer(answers: Answer[]): Promise<{ core: CoreV1Api; requests: () => number }> {
  let count = 0;
  server = createServer((request, response) => {
    const answer = answers[Math.min(count, answers.length - 1)] as Answer;
    count++;
    request.resume();
    const body = answer.status === 200
      ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'site', namespace: 'west' }, data: { k: 'v' } }
      : { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'storage is (re)initializing', code: answer.status };
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(JSON.stringify(body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u', namespace: 'west' }],
    currentContext: 'x',
  });
  return { core: apiClient(kc, CoreV1Api), requests: () => count };
}

async function failure(request: Promise<unknown>): Promise<ApiException<unknown>> {
  try {
    await request;
  } catch (error) {
    if (error instanceof ApiException) return error;
    throw error;
  }
  throw new Error('the request succeeded');
}

describe('kubernetes API clients - retry when the server asks', () => {
  it('sends again after 429 answers and returns the object that follows', async () => {
    const { core, requests } = await apiServer([{ status: 429, headers: { 'retry-after': '0' } }, { status: 429 }, { status: 200 }]);
    const map = await core.readNamespacedConfigMap({ namespace: 'west', name: 'site' });
    expect(map.data).toEqual({ k: 'v' });
    expect(requests()).toBe(3);
  });

  it('retries a 503 that carries Retry-After, but not one without it', async () => {
    const withHeader = await apiServer([{ status: 503, headers: { 'retry-after': '0' } }, { status: 200 }]);
    await withHeader.core.readNamespacedConfigMap({ namespace: 'west', name: 'site' });
    expect(withHeader.requests()).toBe(2);
    server?.close();

    const without = await apiServer([{ status: 503 }, { status: 200 }]);
    expect((await failure(without.core.readNamespacedConfigMap({ namespace: 'west', name: 'site' }))).code).toBe(503);
    expect(without.requests()).toBe(1);
  });

  it('gives the caller the 429 after ten attempts', async () => {
    const { core, requests } = await apiServer([{ status: 429, headers: { 'retry-after': '0' } }]);
    expect((await failure(core.readNamespacedConfigMap({ namespace: 'west', name: 'site' }))).code).toBe(429);
    expect(requests()).toBe(10);
  });

  it('does not retry answers that are final', async () => {
    const { core, requests } = await apiServer([{ status: 404 }, { status: 200 }]);
    expect((await failure(core.readNamespacedConfigMap({ namespace: 'west', name: 'site' }))).code).toBe(404);
    expect(requests()).toBe(1);
  });

  it('waits what Retry-After says, within bounds', () => {
    expect(retryDelayMs(429, '2')).toBe(2000);
    expect(retryDelayMs(429, undefined)).toBe(1000);
    expect(retryDelayMs(429, 'soon')).toBe(1000);
    expect(retryDelayMs(429, '3600')).toBe(5000);
    expect(retryDelayMs(500, '1')).toBe(1000);
    expect(retryDelayMs(500, undefined)).toBeUndefined();
    expect(retryDelayMs(409, '1')).toBeUndefined();
  });
});
