/**
 * The HTTP side of a listener with `http: true`: `/healthz` (liveness), `/readyz` (readiness, from
 * the router) and `/metrics` (Prometheus), as the listener's switches allow. The router puts the
 * handler on the listener's http.Server, which also upgrades WebSocket requests for AMQP.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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
