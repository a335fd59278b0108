/**
 * Management for a running router: the agent on `$management` (also `_local/$management` and
 * `_topo/0/<id>/$management`), entity hooks that make CREATE and DELETE take effect at once, the
 * operational entities read from live state (through the read-only views of mgmt/router-views.ts),
 * and the HTTP handlers of http listeners (/healthz, /readyz, /metrics as each listener's switches
 * allow; metrics read through the registry, as skstat).
 */
import { Encoder } from './amqp/codec/encoder.js';
import { decodeMessage, encodeMessage } from './amqp/codec/message.js';
import type { ListenerSettings } from './config/settings.js';
import { hostname } from 'node:os';
import type { RouterDaemon } from './daemon.js';
import { logger } from './log.js';
import { ManagementAgent } from './mgmt/agent.js';
import { createHttpHandler, type HttpRequestHandler } from './mgmt/http-server.js';
import { metricsFromRegistry } from './mgmt/metrics-snapshot.js';
import { createRouterRegistry, type OperationalSources, type RouterHooks } from './mgmt/router-registry.js';
import { connectionRows, countersOf, listenerState, routerAddresses, routerLinks, routerMetricsRows, routerNodes, type RouterView } from './mgmt/router-views.js';

const log = logger('AGENT');

export interface Management {
  agent: ManagementAgent;
  /** The HTTP handler of an http listener, with that listener's healthz and metrics switches. */
  httpHandlerFor(listener: ListenerSettings): HttpRequestHandler;
}

export function attachManagement(daemon: RouterDaemon): Management {
  const router = daemon.router;
  const view: RouterView = { core: router, routing: daemon.routing?.engine, tcpListeners: daemon.tcpListeners, tcpConnectors: daemon.tcpConnectors, startedAt: daemon.startedAt };
  const hooks: RouterHooks = {
    router: { operational: () => ({ hostName: hostname() }) },
    listener: {
      onCreate: async (s) => void (await daemon.transports.addListener(s)),
      onDelete: (s) => daemon.transports.removeListener(s.name),
    },
    connector: {
      onCreate: (s) => daemon.transports.addConnector(s),
      onDelete: (s) => daemon.transports.removeConnector(s.name),
      operational: (s) => {
        const status = daemon.transports.connectorStatus(s.name);
        return { connectionStatus: status?.status ?? 'FAILED', connectionMsg: status?.lastError ?? '' };
      },
    },
    sslProfile: {
      onCreate: (s) => daemon.addSslProfile(s),
      onDelete: (s) => daemon.removeSslProfile(s.name),
    },
    'router.config.address': {
      onCreate: (s) => {
        if (s.prefix !== undefined) router.rules.add({ prefix: s.prefix, distribution: s.distribution });
      },
      onDelete: (s) => {
        if (s.prefix !== undefined) router.rules.remove(s.prefix);
      },
    },
    tcpListener: {
      onCreate: (s) => void daemon.addTcpListener(s),
      onDelete: (s) => daemon.removeTcpListener(s.name),
      operational: (s) => listenerState(view.tcpListeners.get(s.name)),
    },
    tcpConnector: {
      onCreate: (s) => void daemon.addTcpConnector(s),
      onDelete: (s) => daemon.removeTcpConnector(s.name),
      operational: (s) => countersOf(view.tcpConnectors.get(s.name)),
    },
  };
  const sources: OperationalSources = {
    connection: {
      list: () => connectionRows(view),
      updateLive: async (entity, changes) => {
        if (changes['adminStatus'] === 'deleted') router.closeConnection(Number(entity['identity']));
      },
    },
    routerMetrics: () => routerMetricsRows(view),
    'router.node': () => routerNodes(view),
    'router.link': () => routerLinks(view),
    'router.address': () => routerAddresses(view),
  };
  const { registry } = createRouterRegistry(daemon.config, hooks, sources);
  const agent = new ManagementAgent(registry, { routerId: router.id, knownRouters: () => [router.id, ...router.routes.knownRouters()] });
  const encoder = new Encoder(4096);
  const serve = (bytes: Buffer, view: { bodyOffset: number }, _from: unknown, logId = ''): void => {
    let request;
    try {
      request = decodeMessage(bytes.subarray(view.bodyOffset));
    } catch (err) {
      log.warning(`${logId} ignoring a malformed management request: ${(err as Error).message}`);
      return;
    }
    agent.handle(request, logId).then(
      (response) => {
        if (response === undefined) return;
        encoder.reset();
        encodeMessage(encoder, response);
        router.sendMessage(Buffer.from(encoder.view()));
      },
      (err: unknown) => log.error(`management request failed: ${(err as Error).message}`),
    );
  };
  router.serve('M$management', serve);
  router.serve('L$management', serve);
  const providers = { ready: () => daemon.started, metrics: () => metricsFromRegistry(registry) };
  const httpHandlerFor = (listener: ListenerSettings): HttpRequestHandler =>
    createHttpHandler(providers, { healthz: listener.healthz, metrics: listener.metrics });
  return { agent, httpHandlerFor };
}
