/**
 * Management for a running router: the agent on `$management` (also `_local/$management` and
 * `_topo/0/<id>/$management`), entity hooks that make CREATE and DELETE take effect at once, the
 * operational entities read from live state, and the HTTP handlers of http listeners (/healthz,
 * /readyz, /metrics as each listener's switches allow; metrics read through the registry, as skstat).
 */
import { Encoder } from './amqp/codec/encoder.js';
import { AmqpMap } from './amqp/codec/values.js';
import { decodeMessage, encodeMessage } from './amqp/codec/message.js';
import type { TcpConnectorAdaptor } from './adaptors/tcp/tcp-connector.js';
import type { TcpListenerAdaptor } from './adaptors/tcp/tcp-listener.js';
import type { ListenerSettings } from './config/settings.js';
import { hostname } from 'node:os';
import type { Session } from './amqp/engine/session.js';
import { classifyAddress } from './core/addresses.js';
import { CAPABILITY_CONTROL, CAPABILITY_DATA, DEFAULT_PRIORITY } from './core/neighbor.js';
import { VERSION } from './core/router.js';
import { LINK_CAPACITY } from './core/producer-credit.js';
import type { RouterDaemon } from './daemon.js';
import { logger } from './log.js';
import { ManagementAgent } from './mgmt/agent.js';
import { connectionAttributes, deliveryTotals, linkCounters } from './mgmt/live-counters.js';
import { createHttpHandler, type HttpRequestHandler } from './mgmt/http-server.js';
import { metricsFromRegistry } from './mgmt/metrics-snapshot.js';
import { createRouterRegistry, type OperationalSources, type RouterHooks } from './mgmt/router-registry.js';
import type { ManagedAttributes } from './mgmt/wire-values.js';

const log = logger('AGENT');

export interface Management {
  agent: ManagementAgent;
  /** The HTTP handler of an http listener, with that listener's healthz and metrics switches. */
  httpHandlerFor(listener: ListenerSettings): HttpRequestHandler;
}

export function attachManagement(daemon: RouterDaemon): Management {
  const router = daemon.router;
  const hooks: RouterHooks = {
    router: { operational: () => ({ hostName: hostname() }) },
    listener: {
      onCreate: async (s) => void (await router.addListener(s)),
      onDelete: (s) => router.removeListener(s.name),
    },
    connector: {
      onCreate: (s) => router.addConnector(s),
      onDelete: (s) => router.removeConnector(s.name),
      operational: (s) => {
        const status = router.connectors.get(s.name)?.transport;
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
      operational: (s) => listenerState(daemon.tcpListeners.get(s.name)),
    },
    tcpConnector: {
      onCreate: (s) => void daemon.addTcpConnector(s),
      onDelete: (s) => daemon.removeTcpConnector(s.name),
      operational: (s) => countersOf(daemon.tcpConnectors.get(s.name)),
    },
  };
  const sources: OperationalSources = {
    connection: () => [...router.connections.values()].map((c): ManagedAttributes => ({
      identity: String(c.id),
      name: `connection/${c.host}`,
      host: c.host,
      role: c.role,
      dir: c.direction,
      container: c.connection.remoteOpen === undefined ? null : String(c.connection.remoteOpen.containerId),
      sasl: c.connection.saslMechanism ?? null,
      // As skupper-router: any completed SASL exchange (ANONYMOUS shows as "anonymous-user").
      isAuthenticated: c.connection.saslMechanism !== undefined,
      isEncrypted: c.transport === 'tls',
      ssl: c.transport === 'tls',
      operStatus: c.opened ? 'up' : 'down',
      protocol: 'amqp',
      properties: c.connection.remoteOpen?.properties instanceof AmqpMap ? c.connection.remoteOpen.properties : null,
      ...connectionAttributes(c.connection),
    })),
    routerMetrics: () => [{ identity: '1', id: router.id, version: VERSION, connectionCounters: connectionCounters(daemon), ...routerMetrics(daemon) }],
    'router.node': () => routerNodes(daemon),
    'router.link': () => routerLinks(daemon),
    'router.address': () => routerAddresses(daemon),
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

/** router.node rows as skupper-router lists them: this router first ("(self)"), then the others. */
function routerNodes(daemon: RouterDaemon): ManagedAttributes[] {
  const engine = daemon.routing?.engine;
  if (engine === undefined) return [];
  const id = daemon.router.id;
  const row = (nodeId: string, index: number, fields: ManagedAttributes): ManagedAttributes => ({
    id: nodeId,
    protocolVersion: 1,
    address: `amqp:/_topo/0/${nodeId}`,
    index,
    name: `router.node/${nodeId}`,
    identity: `router.node/${nodeId}`,
    ...fields,
  });
  const rows = [row(id, 0, { instance: engine.instance, linkState: engine.ownLinkState(), nextHop: '(self)', validOrigins: [], routerLink: null, cost: null, lastTopoChange: engine.lastTopoChange })];
  engine.nodes().forEach((n, i) => {
    const neighbor = n.nextHop === n.id;
    rows.push(row(n.id, i + 1, {
      instance: n.instance ?? null,
      linkState: n.peers,
      nextHop: neighbor ? null : (n.nextHop ?? null),
      validOrigins: n.validOrigins,
      routerLink: neighbor ? i : null,
      cost: n.cost ?? null,
      lastTopoChange: null,
    }));
  });
  return rows;
}

/** router.link rows: every link of every connection, typed by its connection's role. */
function routerLinks(daemon: RouterDaemon): ManagedAttributes[] {
  const f = daemon.router.deliveryCounts;
  const rows: ManagedAttributes[] = [];
  for (const record of daemon.router.connections.values()) {
    const priorities = dataLinkPriorities(record.connection.allSessions());
    for (const session of record.connection.allSessions()) {
      for (const link of session.links.values()) {
        const control = link.remoteCapabilities().includes(CAPABILITY_CONTROL);
        const routerRole = record.role === 'inter-router' || record.role === 'inter-router-data';
        const terminus = link.role === 'sender' ? link.local.source : link.local.target;
        const address = terminus?.address ?? (control && link.role === 'sender' ? HELLO_ADDRESS : undefined);
        rows.push({
          identity: String(link.identity),
          name: link.name,
          linkName: link.name,
          linkType: routerRole ? (control ? 'router-control' : 'inter-router') : record.role === 'edge' ? 'edge-downlink' : 'endpoint',
          linkDir: link.role === 'sender' ? 'out' : 'in',
          owningAddr: address === undefined ? null : addressKey(address, daemon.router.id),
          capacity: LINK_CAPACITY,
          undeliveredCount: f.undelivered(link),
          unsettledCount: daemon.router.producers.inFlightOf(link),
          deliveryCount: link.deliveryCount,
          ...linkCounters(link),
          priority: control ? CONTROL_PRIORITY : (priorities.get(session) ?? DEFAULT_PRIORITY),
          connectionId: String(record.id),
          operStatus: link.state === 'attached' ? 'up' : 'down',
          droppedPresettledCount: f.droppedPresettledOn(link),
          creditAvailable: Math.max(0, link.credit),
        });
      }
    }
  }
  return rows;
}

/**
 * The priority of each data link session of an inter-router connection: the connector side
 * begins one per priority, 0 to 9 in order (§c.1), and sessions are numbered as they begin.
 */
function dataLinkPriorities(sessions: Iterable<Session>): Map<Session, number> {
  const data = [...sessions].filter((s) => [...s.links.values()].some((l) => l.remoteCapabilities().includes(CAPABILITY_DATA)));
  return new Map(data.sort((a, b) => a.channel - b.channel).map((s, priority) => [s, priority]));
}

/** skupper-router's hash key of an address: class letter and name, as skstat -l and -a show it. */
function addressKey(address: string, routerId: string): string {
  const c = classifyAddress(address, routerId);
  switch (c.kind) {
    case 'local':
      return `L${c.name}`;
    case 'flood':
      return `T${c.name}`;
    case 'router':
      return `R${c.routerId}`;
    case 'edge':
      return `H${c.edgeId}`;
    case 'mobile':
      return `M${c.name}`;
  }
}

/** The routing protocol's and management's own addresses, with skupper-router's treatments. */
const FIXED_DISTRIBUTION: Record<string, string> = {
  Lqdhello: 'flood',
  Lqdrouter: 'flood',
  'Lqdrouter.ma': 'multicast',
  Tqdrouter: 'flood',
  'Tqdrouter.ma': 'multicast',
  L$management: 'closest',
  M$management: 'closest',
};
/** Where a router-control sender's messages go first (skupper-router lists it as its address). */
const HELLO_ADDRESS = '_local/qdhello';

function distributionOfKey(daemon: RouterDaemon, key: string): string {
  const fixed = FIXED_DISTRIBUTION[key];
  if (fixed !== undefined) return fixed;
  // Mobile and local addresses take the configured or default distribution; routers are closest.
  return key.startsWith('M') || key.startsWith('L') ? daemon.router.rules.distributionOf(key.slice(1)) : 'closest';
}

/** router.address rows: local consumers, in-process services and remote routers per address. */
function routerAddresses(daemon: RouterDaemon): ManagedAttributes[] {
  const f = daemon.router.forwarding;
  const routers = daemon.routing?.engine.nodes().filter((n) => n.nextHop !== undefined).map((n) => n.id) ?? [];
  const topo = routers.length > 0 ? ['Tqdrouter', 'Tqdrouter.ma'] : [];
  const keys = new Set([
    ...f.consumers.keys(), ...f.inProcess.keys(), ...f.streamEndpoints.keys(),
    ...daemon.router.routes.remoteAddresses().map((a) => `M${a}`), ...routers.map((id) => `R${id}`), ...topo,
  ]);
  return [...keys].sort().map((key) => {
    const remote = key.startsWith('M') ? daemon.router.routes.routersFor(key.slice(1)) : key.startsWith('R') ? [key.slice(1)] : key.startsWith('T') ? routers : [];
    return {
      identity: key,
      name: key,
      key,
      distribution: distributionOfKey(daemon, key),
      inProcess: (f.inProcess.has(key) ? 1 : 0) + (f.streamEndpoints.get(key)?.length ?? 0),
      subscriberCount: f.consumers.get(key)?.length ?? 0,
      remoteCount: remote.length,
      remoteHostRouters: remote,
      ...ADDRESS_UNTRACKED,
    };
  });
}

function countersOf(adaptor: TcpListenerAdaptor | TcpConnectorAdaptor | undefined): Record<string, number> {
  const c = adaptor?.counters;
  return { connectionsOpened: c?.connectionsOpened ?? 0, connectionsClosed: c?.connectionsClosed ?? 0, bytesIn: c?.bytesIn ?? 0, bytesOut: c?.bytesOut ?? 0 };
}

function listenerState(adaptor: TcpListenerAdaptor | undefined): Record<string, number | string> {
  return { ...countersOf(adaptor), operStatus: adaptor?.operStatus ?? 'down' };
}

/** routerMetrics counters Skiff does not keep (it neither times deliveries nor routes between networks). */
const METRICS_UNTRACKED = {
  autoLinkCount: 0, deliveriesDelayed1Sec: 0, deliveriesDelayed10Sec: 0, deliveriesStuck: 0, deliveriesIngress: 0,
  deliveriesTransit: 0, deliveriesIngressRouteContainer: 0, deliveriesEgressRouteContainer: 0, deliveriesIngressInterNetwork: 0,
  deliveriesEgressInterNetwork: 0, deliveriesRedirectedToFallback: 0, linksBlocked: 0,
};
/** router.address counters Skiff does not keep per address; priority -1 is skupper-router's "none". */
const ADDRESS_UNTRACKED = {
  deliveriesIngress: 0, deliveriesEgress: 0, deliveriesTransit: 0, deliveriesToContainer: 0, deliveriesFromContainer: 0,
  deliveriesEgressRouteContainer: 0, deliveriesIngressRouteContainer: 0, deliveriesEgressInterNetwork: 0,
  deliveriesIngressInterNetwork: 0, trackedDeliveries: 0, priority: -1, deliveriesRedirectedToFallback: 0, watch: false,
};
/** Priority skupper-router shows for its control links; the others carry the default. */
const CONTROL_PRIORITY = 9;

const open = (adaptors: ReadonlyMap<string, TcpListenerAdaptor | TcpConnectorAdaptor>): number => [...adaptors.values()].reduce((n, a) => n + a.counters.open, 0);

/** Service connections open now, per protocol (skstat -g prints "TCP Service Connections" and so on). */
function connectionCounters(daemon: RouterDaemon): Record<string, number> {
  const amqp = [...daemon.router.connections.values()].filter((c) => c.role === 'normal').length;
  return { tcp: open(daemon.tcpListeners) + open(daemon.tcpConnectors), amqp, http1: 0, http2: 0 };
}

function routerMetrics(daemon: RouterDaemon): Record<string, number> {
  const r = daemon.router;
  const memory = process.memoryUsage();
  return {
    ...METRICS_UNTRACKED,
    ...deliveryTotals([...r.connections.values()].map((c) => c.connection)),
    memoryUsage: memory.heapTotal + memory.external,
    residentMemoryUsage: memory.rss,
    connectionCount: r.connections.size,
    nodeCount: r.routes.knownRouters().length + 1,
    addrCount: r.forwarding.consumers.size + r.forwarding.streamEndpoints.size + r.routes.remoteAddresses().length,
    deliveriesEgress: r.deliveryCounts.delivered,
    droppedPresettledDeliveries: r.deliveryCounts.droppedPresettled,
    uptimeSeconds: Math.floor((Date.now() - daemon.startedAt) / 1000),
  };
}
