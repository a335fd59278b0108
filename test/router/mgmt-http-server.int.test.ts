import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { configureLog } from '../../router/src/log.js';
import { createHttpHandler, type HttpProviders } from '../../router/src/mgmt/http-server.js';
import { startRouter, stopAllRouters, type RouterProcess } from '../support/router-process.js';
import { freePort } from '../support/tcp-peers.js';

/**
 * /healthz, /readyz and /metrics as a skiff-router process serves them on its http listeners,
 * each listener with its own healthz and metrics switches (both on unless turned off).
 */
let router: RouterProcess;
const base = (listener: string): string => `http://127.0.0.1:${router.ports.get(listener)!}`;

beforeAll(async () => {
  router = await startRouter('HTTP', [
    ['router', { id: 'HTTP', mode: 'interior' }],
    ['listener', { name: 'both', host: '127.0.0.1', port: 0, role: 'normal', http: true }],
    ['listener', { name: 'none', host: '127.0.0.1', port: 0, role: 'normal', http: true, healthz: false, metrics: false, websockets: false }],
    ['listener', { name: 'health-only', host: '127.0.0.1', port: 0, role: 'normal', http: true, metrics: false }],
    ['listener', { name: 'metrics-only', host: '127.0.0.1', port: 0, role: 'normal', http: true, healthz: false }],
    ['tcpListener', { name: 'web "front"', host: '127.0.0.1', port: 0, address: 'web:80' }],
    ['tcpConnector', { name: 'web-backend', host: '127.0.0.1', port: 9, address: 'web:80' }],
  ]);
});

afterAll(async () => {
  await stopAllRouters();
});

describe('mgmt http-server - a router process serves /healthz, /readyz, /metrics', () => {
  it('/healthz and /readyz answer 200 OK once the router has started', async () => {
    for (const path of ['/healthz', '/readyz', '/readyz?verbose']) {
      const res = await fetch(`${base('both')}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('OK\n');
    }
  });

  it('/metrics serves Prometheus text: router metrics and labelled TCP counters, from the same source as skstat', async () => {
    const res = await fetch(`${base('both')}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const lines = (await res.text()).split('\n');
    expect(lines).toContain('# TYPE qdr_connections_total gauge');
    expect(lines.some((l) => /^qdr_connections_total \d+$/.test(l))).toBe(true);
    expect(lines).toContain('qdr_dropped_presettled_deliveries_total 0');
    expect(lines.some((l) => /^skiff_router_uptime_seconds \d+$/.test(l))).toBe(true);
    expect(lines).toContain('# TYPE skiff_tcp_connections_opened_total counter');
    expect(lines).toContain('skiff_tcp_connections_opened_total{type="tcpListener",name="web \\"front\\"",address="web:80"} 0');
    expect(lines).toContain('skiff_tcp_bytes_in_total{type="tcpConnector",name="web-backend",address="web:80"} 0');
    expect(lines.at(-1)).toBe('');
  });

  it('other paths are 404, other methods 405, HEAD has no body', async () => {
    expect((await fetch(`${base('both')}/`)).status).toBe(404);
    expect((await fetch(`${base('both')}/metricsx`)).status).toBe(404);
    const post = await fetch(`${base('both')}/healthz`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${base('both')}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('3');
    expect(await head.text()).toBe('');
  });

  it("honours each listener's healthz and metrics switches", async () => {
    const status = async (listener: string, path: string): Promise<number> => (await fetch(`${base(listener)}${path}`)).status;
    expect([await status('none', '/healthz'), await status('none', '/readyz'), await status('none', '/metrics')]).toEqual([404, 404, 404]);
    expect([await status('health-only', '/healthz'), await status('health-only', '/readyz'), await status('health-only', '/metrics')]).toEqual([200, 200, 404]);
    expect([await status('metrics-only', '/healthz'), await status('metrics-only', '/readyz'), await status('metrics-only', '/metrics')]).toEqual([404, 404, 200]);
  });

  it("honours the listener's websockets switch: AMQP over WebSocket only where it is on", async () => {
    const upgrade = (listener: string): Promise<string> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${router.ports.get(listener)!}/`, ['amqp']);
        ws.once('open', () => (ws.close(), resolve('open')));
        ws.once('error', () => resolve('refused'));
      });
    expect(await upgrade('both')).toBe('open');
    expect(await upgrade('none')).toBe('refused');
  });

  it('an http listener whose port is taken stops the router with an error naming the address', async () => {
    const taken = await freePort();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(taken, '127.0.0.1', resolve));
    try {
      const other = await startRouter('HTTP-taken', [
        ['router', { id: 'HTTP-taken', mode: 'interior' }],
        ['listener', { name: 'web', host: '127.0.0.1', port: taken, role: 'normal', http: true }],
      ], { waitForListeners: false });
      const code = await new Promise<number | null>((resolve) => other.process.once('exit', (c) => resolve(c)));
      expect(code).toBe(5);
      expect(other.log()).toMatch(new RegExp(`Error: listen EADDRINUSE.*127\\.0\\.0\\.1:${taken} \\[SKIFF_ERR_ROUTER_START\\]`));
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});

/** What a running router cannot be made to show on demand: not ready yet, a failing metrics source. */
describe("mgmt http-server - the daemon's handler when its providers say no", () => {
  let ready = false;
  let failMetrics = false;
  const providers: HttpProviders = {
    ready: () => ready,
    metrics: () => {
      if (failMetrics) throw new Error('metrics source gone');
      return { router: {}, tcpListeners: [], tcpConnectors: [] };
    },
  };
  let server: Server;
  let url = '';

  beforeAll(async () => {
    server = createServer(createHttpHandler(providers));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('/readyz is 503 until the router is ready', async () => {
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('a failing metrics provider gives 500 and the endpoint keeps serving', async () => {
    configureLog('HTTP', { enable: 'none' });
    failMetrics = true;
    expect((await fetch(`${url}/metrics`)).status).toBe(500);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});
