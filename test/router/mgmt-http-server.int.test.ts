import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { configureLog } from '../../router/src/log.js';
import { startHttpEndpoint, type HttpEndpoint, type HttpProviders } from '../../router/src/mgmt/http-server.js';
import type { MetricsSnapshot } from '../../router/src/mgmt/prometheus.js';

const snapshot: MetricsSnapshot = {
  router: { connectionCount: 5, acceptedDeliveries: 42, uptimeSeconds: 7 },
  tcpListeners: [{ name: 'web "front"', address: 'web:80', connectionsOpened: 3, connectionsClosed: 2, bytesIn: 1000, bytesOut: 2000 }],
  tcpConnectors: [{ name: 'web-backend', address: 'web:80', connectionsOpened: 1, connectionsClosed: 1, bytesIn: 2000, bytesOut: 1000 }],
};

let ready = false;
let failMetrics = false;
const providers: HttpProviders = {
  ready: () => ready,
  metrics: () => {
    if (failMetrics) throw new Error('metrics source gone');
    return snapshot;
  },
};

const endpoints: HttpEndpoint[] = [];
afterEach(async () => {
  ready = false;
  failMetrics = false;
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
});

async function start(options: Parameters<typeof startHttpEndpoint>[2] = {}): Promise<string> {
  const endpoint = await startHttpEndpoint({ host: '127.0.0.1', port: 0 }, providers, options);
  endpoints.push(endpoint);
  expect(endpoint.port).toBeGreaterThan(0);
  return `http://127.0.0.1:${endpoint.port}`;
}

describe('mgmt http-server - /healthz, /readyz, /metrics on 127.0.0.1', () => {
  it('/healthz answers 200 OK', async () => {
    const base = await start();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK\n');
  });

  it('/readyz follows the router: 503 until ready, then 200', async () => {
    const base = await start();
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
    const res = await fetch(`${base}/readyz?verbose`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK\n');
  });

  it('/metrics serves Prometheus text: router metrics and labelled TCP counters', async () => {
    const base = await start();
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const lines = (await res.text()).split('\n');
    expect(lines).toContain('# TYPE qdr_connections_total gauge');
    expect(lines).toContain('qdr_connections_total 5');
    expect(lines).toContain('qdr_accepted_deliveries_total 42');
    expect(lines).toContain('skiff_router_uptime_seconds 7');
    expect(lines.some((l) => l.startsWith('qdr_links_total'))).toBe(false);
    expect(lines).toContain('# TYPE skiff_tcp_connections_opened_total counter');
    expect(lines).toContain('skiff_tcp_connections_opened_total{type="tcpListener",name="web \\"front\\"",address="web:80"} 3');
    expect(lines).toContain('skiff_tcp_bytes_in_total{type="tcpConnector",name="web-backend",address="web:80"} 2000');
    expect(lines).toContain('skiff_tcp_bytes_out_total{type="tcpListener",name="web \\"front\\"",address="web:80"} 2000');
    expect(lines.at(-1)).toBe('');
  });

  it('other paths are 404, other methods 405, HEAD has no body', async () => {
    const base = await start();
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metricsx`)).status).toBe(404);
    const post = await fetch(`${base}/healthz`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('3');
    expect(await head.text()).toBe('');
  });

  it("honours the listener's healthz and metrics switches", async () => {
    const base = await start({ healthz: false, metrics: false });
    expect((await fetch(`${base}/healthz`)).status).toBe(404);
    expect((await fetch(`${base}/readyz`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });

  it('a failing metrics provider gives 500 and the endpoint keeps serving', async () => {
    configureLog('HTTP', { enable: 'none' });
    const base = await start();
    failMetrics = true;
    expect((await fetch(`${base}/metrics`)).status).toBe(500);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("serves on the router's own http.Server and leaves it open on close", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = await startHttpEndpoint(server, providers);
      const port = (server.address() as AddressInfo).port;
      expect(endpoint.port).toBe(port);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      await endpoint.close();
      expect(server.listening).toBe(true);
      expect(server.listenerCount('request')).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('an address in use is reported, not thrown later', async () => {
    const base = await start();
    const port = Number(new URL(base).port);
    await expect(startHttpEndpoint({ host: '127.0.0.1', port }, providers)).rejects.toThrow(/EADDRINUSE/);
  });
});
