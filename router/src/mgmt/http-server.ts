/**
 * The HTTP side of a listener with `http: true`: `/healthz` (liveness), `/readyz` (readiness, from
 * the router) and `/metrics` (Prometheus). The handler is exported on its own so the router can
 * put it on the same http.Server that upgrades WebSocket requests for AMQP over WebSocket.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { logger } from '../log.js';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics, type MetricsSnapshot } from './prometheus.js';

const log = logger('HTTP');

export interface HttpProviders {
  /** Whether the router is ready for traffic (config applied, listeners open). */
  ready(): boolean;
  metrics(): MetricsSnapshot;
}

/** The listener's `healthz` and `metrics` switches (both on by default, as in skupper-router). */
export interface HttpEndpointOptions {
  healthz?: boolean;
  metrics?: boolean;
}

export type HttpRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8', head = false): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}

export function createHttpHandler(providers: HttpProviders, options: HttpEndpointOptions = {}): HttpRequestHandler {
  const healthz = options.healthz ?? true;
  const metrics = options.metrics ?? true;
  return (req, res) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, 'Method Not Allowed\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/healthz' && healthz) send(res, 200, 'OK\n', undefined, head);
      else if (path === '/readyz' && healthz) {
        const ready = providers.ready();
        send(res, ready ? 200 : 503, ready ? 'OK\n' : 'not ready\n', undefined, head);
      } else if (path === '/metrics' && metrics) send(res, 200, renderMetrics(providers.metrics()), PROMETHEUS_CONTENT_TYPE, head);
      else send(res, 404, 'Not Found\n', undefined, head);
    } catch (error) {
      // A failing provider must not take the listener down; the scraper sees a 500.
      log.error(`${req.method ?? 'GET'} ${path ?? '/'} failed: ${(error as Error).message}`);
      if (!res.headersSent) send(res, 500, 'Internal Server Error\n', undefined, head);
    }
  };
}

export interface HttpEndpoint {
  server: Server;
  /** The port bound (useful with port 0). */
  port: number;
  /** Detaches the handler; closes the server too when this endpoint created it. */
  close(): Promise<void>;
}

/**
 * Serves the endpoints on an existing server (the handler is added to its `request` event) or on
 * a new one bound to `{host, port}`.
 */
export async function startHttpEndpoint(
  target: Server | { host: string; port: number },
  providers: HttpProviders,
  options: HttpEndpointOptions = {},
): Promise<HttpEndpoint> {
  const handler = createHttpHandler(providers, options);
  const owned = !('on' in target);
  const server = owned ? createServer() : target;
  server.on('request', handler);
  if (owned) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(target.port, target.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? (address as AddressInfo).port : 0;
  return {
    server,
    port,
    close: async () => {
      server.off('request', handler);
      if (!owned) return;
      // Keep-alive sockets of scrapers would hold close() open until they time out.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
