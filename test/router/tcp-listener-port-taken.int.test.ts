/**
 * A tcpListener whose port another process holds (regression for 1915e9d: the listen retry spun on
 * microtasks, starving the event loop): the router keeps answering management and /healthz, stops
 * promptly on SIGTERM, and binds within a few seconds of the port coming free, then carries bytes.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementClient, rowsOf } from '../support/management-client.js';
import { startRouter, stopAllRouters, terminate, waitFor, type ConfigEntity, type RouterProcess } from '../support/router-process.js';
import { echoThrough, startEchoServer, tryConnect, type EchoServer } from '../support/tcp-peers.js';

let echo: EchoServer;
let blocker: Server;
let takenPort = 0;

/** A router with a local connector for `svc` (so the listener wants its port) and a listener on the taken port. */
function config(id: string): ConfigEntity[] {
  return [
    ['router', { id, mode: 'interior' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
    ['listener', { name: 'health', host: '127.0.0.1', port: 0, role: 'normal', http: true, healthz: true }],
    ['tcpConnector', { name: 'svc-out', host: '127.0.0.1', port: echo.port, address: 'svc' }],
    ['tcpListener', { name: 'svc-in', host: '127.0.0.1', port: takenPort, address: 'svc' }],
  ];
}

/** Resolves with the time an HTTP GET took, failing past `limitMs`. */
async function timedGet(url: string, limitMs: number): Promise<number> {
  const started = Date.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(limitMs) });
  expect(response.status).toBe(200);
  return Date.now() - started;
}

beforeAll(async () => {
  echo = await startEchoServer();
  blocker = createServer((socket) => socket.destroy()).listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  takenPort = (blocker.address() as { port: number }).port;
});

afterAll(async () => {
  await stopAllRouters();
  if (blocker.listening) await new Promise((done) => blocker.close(done));
  await echo.close();
});

describe('tcp listener - port taken by another process', () => {
  let router: RouterProcess;

  it('keeps answering /healthz and management while the listen fails and is retried', async () => {
    router = await startRouter('taken', config('taken'));
    // Two failed attempts: the retry has run at least once.
    await waitFor(() => (router.log().match(/tcpListener svc-in: cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/g) ?? []).length >= 2, 'two failed listens', 10_000);
    const health = `http://127.0.0.1:${router.ports.get('health')!}/healthz`;
    for (let i = 0; i < 5; i++) expect(await timedGet(health, 2000)).toBeLessThan(1000);
    const mgmt = await ManagementClient.connect(router.ports.get('amqp')!);
    try {
      const answer = await mgmt.query('tcpListener', ['name', 'operStatus']);
      expect(answer.statusCode).toBe(200);
      expect(rowsOf(answer)).toEqual([{ name: 'svc-in', operStatus: 'down' }]);
    } finally {
      mgmt.close();
    }
  });

  it('exits promptly on SIGTERM while its port is taken', async () => {
    const held = await startRouter('held', config('held'));
    await held.waitForLog(/tcpListener svc-in: cannot listen on .*EADDRINUSE/);
    // Past the first retry, so the timer path (not just the first attempt) is what SIGTERM meets.
    await waitFor(() => (held.log().match(/cannot listen on/g) ?? []).length >= 2, 'a retried listen', 5000);
    const exit = await terminate(held);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.elapsedMs).toBeLessThan(2000);
  });

  it('binds within a few seconds once the port is freed, and carries bytes', async () => {
    await new Promise((done) => blocker.close(done));
    const freed = Date.now();
    await waitFor(() => /tcpListener svc-in listening on/.test(router.log()), 'svc-in to bind', 5000);
    expect(Date.now() - freed).toBeLessThan(3000);
    expect(await tryConnect(takenPort)).toBe('connected');
    const echoed = await echoThrough(takenPort, 200_000);
    expect(echoed.received).toBe(echoed.sent);
  });
});
