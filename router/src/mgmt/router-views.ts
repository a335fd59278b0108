/**
 * The operational entities management reads from a running router — connection, router.link,
 * router.address, router.node, routerMetrics and the tcp adaptors' counters — built from
 * read-only views of the core, the routing protocol and the adaptors: nothing here can change them.
 */
import type { Session } from '../amqp/engine/session.js';
import { AmqpMap } from '../amqp/codec/values.js';
import { classifyAddress, type DistributionRules } from '../core/addresses.js';
import { VERSION } from '../core/connection-properties.js';
import type { DeliveryCounts } from '../core/forwarder.js';
import type { ForwardingView } from '../core/forwarding-tables.js';
import { CAPABILITY_CONTROL, CAPABILITY_DATA, DEFAULT_PRIORITY } from '../core/neighbor.js';
import { LINK_CAPACITY, type ProducerCounts } from '../core/producer-credit.js';
import type { RouteTable } from '../core/route-table.js';
import type { ConnectionRecord } from '../core/router.js';
import type { RoutingEngine } from '../core/routing/routing-engine.js';
import { connectionAttributes, deliveryTotals, linkCounters } from './live-counters.js';
import type { ManagedAttributes } from './wire-values.js';

/** What management reads of the router core, and only reads. */
export interface CoreView {
  readonly id: string;
  readonly connections: ReadonlyMap<number, Readonly<ConnectionRecord>>;
  readonly forwarding: ForwardingView;
  readonly deliveryCounts: DeliveryCounts;
  readonly producerCounts: ProducerCounts;
  readonly routes: Pick<RouteTable, 'knownRouters' | 'remoteAddresses' | 'routersFor'>;
  readonly rules: Pick<DistributionRules, 'distributionOf'>;
}

/** A tcpListener's or tcpConnector's counters. */
export interface TcpAdaptorView {
  readonly counters: { readonly connectionsOpened: number; readonly connectionsClosed: number; readonly bytesIn: number; readonly bytesOut: number; readonly open: number };
}

export interface TcpListenerView extends TcpAdaptorView {
  readonly operStatus: string;
}

export interface RouterView {
  readonly core: CoreView;
  /** The link-state routing protocol (interior routers only). */
  readonly routing: Pick<RoutingEngine, 'instance' | 'ownLinkState' | 'lastTopoChange' | 'nodes'> | undefined;
  readonly tcpListeners: ReadonlyMap<string, TcpListenerView>;
  readonly tcpConnectors: ReadonlyMap<string, TcpAdaptorView>;
  /** When the router started (ms since the epoch). */
  readonly startedAt: number;
}

/** connection rows: every AMQP connection, with what its peer said of itself. */
export function connectionRows(view: RouterView): ManagedAttributes[] {
  return [...view.core.connections.values()].map((c): ManagedAttributes => ({
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
  }));
}

/** The routerMetrics row: counters of the whole router. */
export function routerMetricsRows(view: RouterView): ManagedAttributes[] {
  return [{ identity: '1', id: view.core.id, version: VERSION, connectionCounters: connectionCounters(view), ...routerMetrics(view) }];
}

/** router.node rows as skupper-router lists them: this router first ("(self)"), then the others. */
export function routerNodes(view: RouterView): ManagedAttributes[] {
  const engine = view.routing;
  if (engine === undefined) return [];
  const id = view.core.id;
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
export function routerLinks(view: RouterView): ManagedAttributes[] {
  const f = view.core.deliveryCounts;
  const rows: ManagedAttributes[] = [];
  for (const record of view.core.connections.values()) {
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
          owningAddr: address === undefined ? null : addressKey(address, view.core.id),
          capacity: LINK_CAPACITY,
          undeliveredCount: f.undelivered(link),
          unsettledCount: view.core.producerCounts.inFlightOf(link),
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

function distributionOfKey(view: RouterView, key: string): string {
  const fixed = FIXED_DISTRIBUTION[key];
  if (fixed !== undefined) return fixed;
  // Mobile and local addresses take the configured or default distribution; routers are closest.
  return key.startsWith('M') || key.startsWith('L') ? view.core.rules.distributionOf(key.slice(1)) : 'closest';
}

/** router.address rows: local consumers, in-process services and remote routers per address. */
export function routerAddresses(view: RouterView): ManagedAttributes[] {
  const f = view.core.forwarding;
  const routers = view.routing?.nodes().filter((n) => n.nextHop !== undefined).map((n) => n.id) ?? [];
  const topo = routers.length > 0 ? ['Tqdrouter', 'Tqdrouter.ma'] : [];
  const keys = new Set([
    ...f.consumers.keys(), ...f.inProcess.keys(), ...f.streamEndpoints.keys(),
    ...view.core.routes.remoteAddresses().map((a) => `M${a}`), ...routers.map((id) => `R${id}`), ...topo,
  ]);
  return [...keys].sort().map((key) => {
    const remote = key.startsWith('M') ? view.core.routes.routersFor(key.slice(1)) : key.startsWith('R') ? [key.slice(1)] : key.startsWith('T') ? routers : [];
    return {
      identity: key,
      name: key,
      key,
      distribution: distributionOfKey(view, key),
      inProcess: (f.inProcess.has(key) ? 1 : 0) + (f.streamEndpoints.get(key)?.length ?? 0),
      subscriberCount: f.consumers.get(key)?.length ?? 0,
      remoteCount: remote.length,
      remoteHostRouters: remote,
      ...ADDRESS_UNTRACKED,
    };
  });
}

export function countersOf(adaptor: TcpAdaptorView | undefined): Record<string, number> {
  const c = adaptor?.counters;
  return { connectionsOpened: c?.connectionsOpened ?? 0, connectionsClosed: c?.connectionsClosed ?? 0, bytesIn: c?.bytesIn ?? 0, bytesOut: c?.bytesOut ?? 0 };
}

export function listenerState(adaptor: TcpListenerView | undefined): Record<string, number | string> {
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

const open = (adaptors: ReadonlyMap<string, TcpAdaptorView>): number => [...adaptors.values()].reduce((n, a) => n + a.counters.open, 0);

/** Service connections open now, per protocol (skstat -g prints "TCP Service Connections" and so on). */
function connectionCounters(view: RouterView): Record<string, number> {
  const amqp = [...view.core.connections.values()].filter((c) => c.role === 'normal').length;
  return { tcp: open(view.tcpListeners) + open(view.tcpConnectors), amqp, http1: 0, http2: 0 };
}

function routerMetrics(view: RouterView): Record<string, number> {
  const r = view.core;
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
    uptimeSeconds: Math.floor((Date.now() - view.startedAt) / 1000),
  };
}
