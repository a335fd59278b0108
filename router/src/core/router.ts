/**
 * The router: listeners and connectors, the AMQP connections they carry, and what each role
 * becomes — client links (normal), a Neighbor with its connection group (inter-router), an edge
 * uplink or an attached edge (edge) — with the forwarder between them. The routing protocol plugs
 * in through `RouterHooks` (neighbors up/down, local addresses) and fills `routes`; adaptors open
 * streams and register stream endpoints here.
 *
 *   TransportListener/Connector ─▶ Connection ─▶ normal: client links ──────────┐
 *                                            ├▶ inter-router(-data): Neighbor ──┼▶ Forwarder
 *                                            └▶ edge: EdgeConnections ──────────┘    │
 *   routing protocol ◀── hooks ── Router ──▶ RouteTable ◀── routing protocol ────────┘
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { AmqpMap, sym, textOf, Typed } from '../amqp/codec/values.js';
import { Connection } from '../amqp/engine/connection.js';
import type { Link } from '../amqp/engine/link.js';
import { offeredMechanisms } from '../amqp/engine/sasl.js';
import type { Session } from '../amqp/engine/session.js';
import { logger } from '../log.js';
import { TransportConnector } from '../transport/connector.js';
import { TransportListener, type AcceptedTransport } from '../transport/listener.js';
import type { TlsMaterial } from '../config/settings.js';
import { classifyAddress, DistributionRules, topologicalAddress } from './addresses.js';
import { encodeStreamHead, type StreamHead } from './stream-head.js';
import { Forwarder, type DeliveryCounts } from './forwarder.js';
import type { AddressKey, ForwardingView, InProcessHandler, StreamEndpoint } from './forwarding-tables.js';
import { viewMessage } from './message-view.js';
import type { StreamSink, StreamSource } from './stream.js';
import { takeDelivery, takeStreamLink } from './stream-intake.js';
import { EdgeConnections, type EdgeHost } from './edge-connections.js';
import { Neighbor } from './neighbor.js';
import { ProducerCredit } from './producer-credit.js';
import { RouteTable } from './route-table.js';
import type { ConnectionRole, ConnectorSettings, ListenerSettings, RouterSettings } from '../config/settings.js';

const log = logger('ROUTER');

export const PRODUCT = 'skiff-router';
export const VERSION = '0.1.0';
const CONNECTION_CAPABILITIES = ['ANONYMOUS-RELAY', 'qd.streaming-links', 'qd.connection_trunking'];
/** `qd.inter-router-role` of a connection that only carries streams for its group. */
const INTER_ROUTER_DATA_ROLE = 4;

export interface RouterHooks {
  neighborUp?(neighbor: Neighbor): void;
  neighborDown?(neighbor: Neighbor): void;
  /** A mobile address gained its first (added) or lost its last local consumer. */
  localAddress?(address: string, added: boolean): void;
}

/** A connection as management lists it (`connection` entity). */
export interface ConnectionRecord {
  id: number;
  connection: Connection;
  role: ConnectionRole | 'inter-router-data';
  direction: 'in' | 'out';
  host: string;
  transport: string;
  opened: boolean;
}

interface ListenerEntry {
  spec: ListenerSettings;
  transport: TransportListener;
  port: number;
}

interface ConnectorEntry {
  spec: ConnectorSettings;
  transport: TransportConnector;
  /** The inter-router-data connections of this connector's group. */
  data: TransportConnector[];
  /** Ties the group's connections together on the far side (`qd.group-correlator`). */
  correlator: string;
}

export class Router implements EdgeHost {
  readonly routes = new RouteTable();
  readonly neighbors = new Map<string, Neighbor>();
  readonly rules: DistributionRules;
  readonly forwarder: Forwarder;
  readonly connections = new Map<number, ConnectionRecord>();
  readonly listeners = new Map<string, ListenerEntry>();
  readonly connectors = new Map<string, ConnectorEntry>();
  hooks: RouterHooks = {};
  /** The handler of non-WebSocket requests on an http listener (health, metrics, as it allows). */
  httpHandlerFor: (spec: ListenerSettings) => (req: IncomingMessage, res: ServerResponse) => void = () => (_req, res) => {
    res.writeHead(404).end();
  };
  private nextConnectionId = 1;
  /** Prefix of the `qd.access-id` this router gives each accepted connection. */
  private readonly accessPrefix = randomBytes(4).toString('base64url').slice(0, 5);
  /** Data connections whose group's control connection is not up yet, by correlator. */
  private readonly pendingData = new Map<string, Connection[]>();
  /** Called when what is routable may have changed (tcpListeners open and close on it). */
  readonly routabilityWatchers = new Set<() => void>();
  private readonly localMobile = new Set<string>();
  private readonly edgeConnections = new EdgeConnections(this);
  /** Credit of client sender links: a link capacity in flight each. */
  readonly producers: ProducerCredit;

  constructor(
    readonly settings: RouterSettings,
    /** Resolves an sslProfile name to its PEM material. */
    private readonly tlsFor: (profile: string) => TlsMaterial | undefined,
  ) {
    this.rules = new DistributionRules(settings.defaultDistribution);
    this.forwarder = new Forwarder(settings.id, this.routes, this.neighbors, this.rules);
    this.producers = new ProducerCredit(this.forwarder);
    this.forwarder.onInboundSettled = (delivery) => this.producers.settled(delivery);
    this.routes.onChange = () => this.refreshCredit();
  }

  get id(): string {
    return this.settings.id;
  }

  // ---- listeners and connectors --------------------------------------------------------

  async addListener(spec: ListenerSettings): Promise<number> {
    const tls = spec.sslProfile === undefined ? undefined : this.tlsFor(spec.sslProfile);
    const transport = new TransportListener(
      {
        name: spec.name,
        host: spec.host,
        port: spec.port,
        authenticatePeer: spec.authenticatePeer,
        ...(tls === undefined ? {} : { tls }),
        ...(spec.http ? { http: { handler: this.httpHandlerFor(spec), websockets: spec.websockets } } : {}),
      },
      (accepted) => this.accept(spec, accepted),
    );
    const port = await transport.start();
    this.listeners.set(spec.name, { spec, transport, port });
    log.info(`listener ${spec.name} (${spec.role}) listening on ${spec.host || '0.0.0.0'}:${port}`);
    return port;
  }

  async removeListener(name: string): Promise<void> {
    const entry = this.listeners.get(name);
    this.listeners.delete(name);
    await entry?.transport.stop();
  }

  addConnector(spec: ConnectorSettings): void {
    const correlator = randomBytes(12).toString('base64').slice(0, 15);
    const dataCount = spec.role === 'inter-router' ? this.settings.dataConnectionCount : 0;
    const entry: ConnectorEntry = {
      spec,
      correlator,
      transport: this.dialer(spec, correlator, false),
      data: Array.from({ length: dataCount }, () => this.dialer(spec, correlator, true)),
    };
    this.connectors.set(spec.name, entry);
    entry.transport.start();
    for (const data of entry.data) data.start();
  }

  /** A reconnecting dialer for a connector's control connection or one of its data connections. */
  private dialer(spec: ConnectorSettings, correlator: string, data: boolean): TransportConnector {
    const tls = spec.sslProfile === undefined ? undefined : this.tlsFor(spec.sslProfile);
    const transport: TransportConnector = new TransportConnector(
      { name: spec.name, host: spec.host, port: spec.port, verifyHostname: spec.verifyHostname, ...(tls === undefined ? {} : { tls }) },
      (socket, verified) => {
        const record = this.runConnection(socket, 'out', spec.role, `${spec.host}:${spec.port}`, tls === undefined ? 'tcp' : 'tls', {
          maxFrameSize: spec.maxFrameSize,
          idleTimeoutSeconds: spec.idleTimeoutSeconds,
          cost: spec.cost,
          saslClient: { mechanisms: verified && tls?.cert !== undefined ? ['EXTERNAL', 'ANONYMOUS'] : ['ANONYMOUS'] },
          group: { correlator, data },
        });
        record.connection.closed.add((_c, error) => transport.lost(error?.description ?? 'connection closed'));
      },
    );
    return transport;
  }

  removeConnector(name: string): void {
    const entry = this.connectors.get(name);
    this.connectors.delete(name);
    entry?.transport.stop();
    for (const data of entry?.data ?? []) data.stop();
  }

  async stop(): Promise<void> {
    for (const name of [...this.connectors.keys()]) this.removeConnector(name);
    for (const record of this.connections.values()) record.connection.close({ condition: 'amqp:connection:forced', description: 'router shutting down' });
    await Promise.all([...this.listeners.keys()].map((name) => this.removeListener(name)));
  }

  // ---- connections -----------------------------------------------------------------------

  private accept(spec: ListenerSettings, accepted: AcceptedTransport): void {
    const requireSasl = spec.authenticatePeer;
    this.runConnection(accepted.socket, 'in', spec.role, accepted.peer, accepted.transport, {
      maxFrameSize: spec.maxFrameSize,
      idleTimeoutSeconds: spec.idleTimeoutSeconds,
      cost: spec.cost,
      saslServer: { mechanisms: offeredMechanisms(spec.saslMechanisms), peerCertificateVerified: accepted.peerCertificateVerified },
      requireSasl,
    });
  }

  private runConnection(
    socket: Duplex,
    direction: 'in' | 'out',
    role: ConnectionRole,
    host: string,
    transport: string,
    o: {
      maxFrameSize: number;
      idleTimeoutSeconds: number;
      cost: number;
      saslServer?: { mechanisms: string[]; peerCertificateVerified: boolean };
      requireSasl?: boolean;
      saslClient?: { mechanisms: string[] };
      /** Outgoing inter-router connections: the group they belong to. */
      group?: { correlator: string; data: boolean };
    },
  ): ConnectionRecord {
    const id = this.nextConnectionId++;
    const properties = AmqpMap.withSymbolKeys({
      product: PRODUCT,
      version: VERSION,
      'qd.conn-id': new Typed('int', id),
      'qd.annotations-version': new Typed('int', 2),
    });
    if (direction === 'in') properties.set(sym('qd.access-id'), `${this.accessPrefix}:${id}`);
    if (o.group !== undefined) {
      if (o.group.data) properties.set(sym('qd.inter-router-role'), new Typed('int', INTER_ROUTER_DATA_ROLE));
      properties.set(sym('qd.group-correlator'), o.group.correlator);
      if (o.cost > 1) properties.set(sym('qd.inter-router-cost'), new Typed('int', o.cost));
    }
    const connection = new Connection(socket, {
      role: direction === 'in' ? 'server' : 'client',
      containerId: this.id,
      ...(direction === 'out' ? { hostname: host.slice(0, host.lastIndexOf(':')) } : {}),
      logId: `[C${id}]`,
      peer: host,
      maxFrameSize: o.maxFrameSize,
      idleTimeoutMs: o.idleTimeoutSeconds * 1000,
      properties,
      offeredCapabilities: CONNECTION_CAPABILITIES,
      desiredCapabilities: CONNECTION_CAPABILITIES,
      ...(o.saslServer === undefined ? {} : { saslServer: o.saslServer }),
      ...(o.requireSasl === undefined ? {} : { requireSasl: o.requireSasl }),
      ...(o.saslClient === undefined ? {} : { saslClient: o.saslClient }),
    });
    const record: ConnectionRecord = { id, connection, role, direction, host, transport, opened: false };
    this.connections.set(id, record);
    connection.opened.add(() => {
      record.opened = true;
      log.info(`[C${id}] connection ${direction === 'in' ? 'from' : 'to'} ${host} opened (role ${role}, container ${String(connection.remoteOpen?.containerId)})`);
      const peerId = String(connection.remoteOpen?.containerId);
      if (role === 'inter-router') this.startNeighbor(record, o.cost, o.group?.correlator);
      else if (role === 'normal') connection.onSessionBegun = (session) => this.acceptClientSession(session);
      else if (direction === 'out') this.edgeConnections.uplinkOpened(connection, peerId);
      else if (this.settings.mode === 'interior') this.edgeConnections.edgeAttached(connection, peerId);
      else connection.close({ condition: 'amqp:not-allowed', description: `router ${this.id} is not interior: it takes no edge connections` });
    });
    connection.closed.add((_c, error) => {
      this.connections.delete(id);
      log.info(`[C${id}] connection ${direction === 'in' ? 'from' : 'to'} ${host} closed${error ? `: ${error.description ?? error.condition}` : ''}`);
    });
    return record;
  }

  // ---- inter-router ----------------------------------------------------------------------

  private startNeighbor(record: ConnectionRecord, localCost: number, ourCorrelator: string | undefined): void {
    const conn = record.connection;
    const remote = conn.remoteOpen!;
    const props = remote.properties instanceof AmqpMap ? remote.properties : new AmqpMap();
    const correlator = ourCorrelator ?? textOf(props.get('qd.group-correlator'));
    const isData = record.direction === 'out' ? record.role === 'inter-router' && this.isDataConnection(conn) : numberProp(props, 'qd.inter-router-role') === INTER_ROUTER_DATA_ROLE;
    if (isData) {
      record.role = 'inter-router-data';
      const neighbor = [...this.neighbors.values()].find((n) => n.groupCorrelator === correlator);
      if (neighbor !== undefined) neighbor.addDataConnection(conn);
      else if (correlator !== undefined) this.pendingData.set(correlator, [...(this.pendingData.get(correlator) ?? []), conn]);
      return;
    }
    const peerId = String(remote.containerId);
    if (peerId === this.id) {
      conn.close({ condition: 'amqp:connection:forced', description: `peer has our own router id ${peerId}` });
      return;
    }
    const cost = Math.max(localCost, numberProp(props, 'qd.inter-router-cost') ?? 1);
    const neighbor = new Neighbor(conn, peerId, cost, `C${record.id}`);
    neighbor.groupCorrelator = correlator;
    neighbor.onStreamLink = (n, link) => takeStreamLink(this.forwarder, link, n);
    for (const data of this.pendingData.get(correlator ?? '') ?? []) if (data.isOpen) neighbor.addDataConnection(data);
    this.pendingData.delete(correlator ?? '');
    const existing = this.neighbors.get(peerId);
    if (existing !== undefined) existing.close(`replaced by a newer connection from ${peerId}`);
    this.neighbors.set(peerId, neighbor);
    neighbor.onMessage = (n, _kind, delivery) => takeDelivery(this.forwarder, delivery, n);
    if (record.direction === 'out') neighbor.attachLinks();
    else {
      const slots = new Map<Session, number>();
      conn.onSessionBegun = (session) => {
        session.onRemoteAttach = (link) => neighbor.acceptLink(link, slots);
      };
    }
    conn.closed.add(() => {
      if (this.neighbors.get(peerId) === neighbor) this.neighbors.delete(peerId);
      this.hooks.neighborDown?.(neighbor);
    });
    log.info(`[C${record.id}] inter-router link to ${peerId} up (cost ${cost})`);
    this.hooks.neighborUp?.(neighbor);
  }

  // ---- client links ----------------------------------------------------------------------

  private acceptClientSession(session: Session): void {
    session.onRemoteAttach = (link) => (link.role === 'sender' ? this.attachConsumer(link) : this.attachProducer(link));
  }

  /** A reply address of this router: `_topo/0/<id>/<name>`, or `_edge/<id>/<name>` on an edge. */
  dynamicAddress(name: string): string {
    return this.settings.mode === 'edge' ? `amqp:/_edge/${this.id}/${name}` : topologicalAddress(this.id, name);
  }

  localAddresses(): Iterable<string> {
    return this.localMobile;
  }

  /** A mobile address gained its first or lost its last local consumer. */
  announce(address: string, added: boolean): void {
    if (added === this.localMobile.has(address)) return;
    if (added) this.localMobile.add(address);
    else this.localMobile.delete(address);
    this.hooks.localAddress?.(address, added);
    if (this.settings.mode === 'edge') this.edgeConnections.localAddressChanged(address, added);
  }

  /**
   * A client receiver (or an edge's proxy, which leads to a router): we send to it. A dynamic
   * source gets a reply address.
   */
  attachConsumer(link: Link, leadsToRouter = false): void {
    const source = link.remoteSource ?? {};
    const address = source.dynamic === true ? this.dynamicAddress(`temp.${randomBytes(8).toString('base64url')}`) : source.address;
    link.attach({ source: { ...source, ...(address === undefined ? {} : { address }) }, target: link.remoteTarget ?? null, sndSettleMode: (link.remote?.sndSettleMode as number | undefined) ?? 0 });
    if (address === undefined) return;
    const c = classifyAddress(address, this.id);
    const key: AddressKey | undefined = c.kind === 'mobile' ? `M${c.name}` : c.kind === 'local' ? `L${c.name}` : undefined;
    if (key === undefined) return;
    const tables = this.forwarder.tables;
    const count = tables.addConsumer(key, link, leadsToRouter);
    if (c.kind === 'mobile' && count === 1) this.announce(c.name, true);
    link.onCredit = () => this.forwarder.drainLocal(link);
    link.detached.add(() => {
      const remaining = tables.removeConsumer(key, link);
      this.forwarder.dropLocal(link);
      if (c.kind === 'mobile' && remaining === 0) this.announce(c.name, false);
      this.refreshCredit();
    });
    this.refreshCredit();
  }

  /** A client sender: credit once its target is routable (anonymous senders at once). */
  attachProducer(link: Link): void {
    link.attach({ source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
    this.producers.attach(link);
  }

  private isDataConnection(conn: Connection): boolean {
    const props = conn.options.properties;
    return props !== undefined && numberProp(props, 'qd.inter-router-role') === INTER_ROUTER_DATA_ROLE;
  }

  /** Starts a stream from a local adaptor; undefined when its address is unreachable. */
  openStream(head: StreamHead, source: StreamSource): StreamSink | undefined {
    const bytes = encodeStreamHead(head);
    return this.forwarder.forwardStream({ bytes, view: viewMessage(bytes), head, source, from: undefined });
  }

  /** Registers an in-process stream endpoint on an address key ('M' + mobile, 'L' + local). */
  addStreamEndpoint(key: AddressKey, endpoint: StreamEndpoint): void {
    const count = this.forwarder.tables.addStreamEndpoint(key, endpoint);
    if (key.startsWith('M') && count === 1) this.announce(key.slice(1), true);
    this.refreshCredit();
  }

  removeStreamEndpoint(key: AddressKey, endpoint: StreamEndpoint): void {
    const remaining = this.forwarder.tables.removeStreamEndpoint(key, endpoint);
    if (key.startsWith('M') && remaining === 0) this.announce(key.slice(1), false);
    this.refreshCredit();
  }

  private refreshCredit(): void {
    for (const watch of this.routabilityWatchers) watch();
    this.producers.refresh();
  }

  /** True when a message or stream to `address` has somewhere to go now. */
  isRoutable(address: string): boolean {
    return this.forwarder.destinations.isRoutable(address);
  }

  routabilityChanged(): void {
    this.refreshCredit();
  }

  /** Registers an in-process service on a local (`_local/x`, `_topo/0/<me>/x`) or mobile address. */
  serve(key: AddressKey, handler: InProcessHandler): void {
    this.forwarder.tables.serve(key, handler);
  }

  get deliveryCounts(): DeliveryCounts {
    return this.forwarder;
  }

  /** What the forwarder delivers to here, read-only. */
  get forwarding(): ForwardingView {
    return this.forwarder.tables;
  }

  /** Sends a routing-protocol message straight to one neighbor on its control link (HELLO). */
  sendToNeighbor(neighbor: Neighbor, bytes: Buffer): void {
    this.forwarder.sendToNeighbor(neighbor, bytes);
  }

  /** Sends a message this router composed (management replies, routing protocol messages). */
  sendMessage(bytes: Buffer): void {
    this.forwarder.forward({ bytes, delivery: undefined, from: undefined, linkTarget: undefined, logId: undefined });
  }
}

function numberProp(props: AmqpMap, key: string): number | undefined {
  const v = props.get(key);
  if (typeof v === 'number') return v;
  if (v instanceof Typed && typeof v.value === 'number') return v.value;
  return undefined;
}
