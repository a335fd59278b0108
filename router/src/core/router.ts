/**
 * The router: the AMQP connections the daemon's listeners accept and its connectors dial, and
 * what each role becomes — client links (normal), a neighbor in its connection group
 * (inter-router), an edge uplink or an attached edge (edge) — with the forwarder between them.
 * The routing protocol plugs in through `RouterHooks` (neighbors up/down, local addresses) and
 * fills `routes`; adaptors open streams and register stream endpoints here.
 *
 *   daemon: listeners, connectors ─▶ Connection ─▶ normal: ClientLinks ─────────┐
 *                                              ├▶ inter-router(-data): NeighborGroups ─▶ Forwarder
 *                                              └▶ edge: EdgeConnections ───────────┘      │
 *   routing protocol ◀── hooks ── Router ──▶ RouteTable ◀── routing protocol ──────────────┘
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { Connection } from '../amqp/engine/connection.js';
import { offeredMechanisms } from '../amqp/engine/sasl.js';
import { logger } from '../log.js';
import { DistributionRules, topologicalAddress } from './addresses.js';
import { ClientLinks } from './client-links.js';
import { CONNECTION_CAPABILITIES, ourProperties, type ConnectionGroup } from './connection-properties.js';
import { EdgeConnections, type EdgeHost } from './edge-connections.js';
import { Forwarder, type DeliveryCounts } from './forwarder.js';
import type { AddressKey, ForwardingView, InProcessHandler, StreamEndpoint } from './forwarding-tables.js';
import { viewMessage } from './message-view.js';
import type { Neighbor } from './neighbor.js';
import { NeighborGroups } from './neighbor-groups.js';
import type { ProducerCounts } from './producer-credit.js';
import { RouteTable } from './route-table.js';
import { encodeStreamHead, type StreamHead } from './stream-head.js';
import type { StreamSink, StreamSource } from './stream.js';
import type { ConnectionRole, ConnectorSettings, ListenerSettings, RouterSettings } from '../config/settings.js';

const log = logger('ROUTER');

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

/** A socket a listener accepted. */
export interface AcceptedSocket {
  socket: Duplex;
  peer: string;
  /** The peer's certificate chained to our CA (TLS with a client certificate). */
  peerCertificateVerified: boolean;
  transport: 'tcp' | 'tls' | 'websocket';
}

/** A socket a connector dialled. */
export interface DialledSocket {
  socket: Duplex;
  transport: 'tcp' | 'tls';
  /** We presented a certificate the peer verified: SASL EXTERNAL is possible. */
  external: boolean;
}

export class Router implements EdgeHost {
  readonly routes = new RouteTable();
  readonly rules: DistributionRules;
  readonly forwarder: Forwarder;
  readonly clientLinks: ClientLinks;
  private readonly records = new Map<number, ConnectionRecord>();
  readonly hooks: RouterHooks = {};
  private readonly groups: NeighborGroups;
  private nextConnectionId = 1;
  /** Prefix of the `qd.access-id` this router gives each accepted connection. */
  private readonly accessPrefix = randomBytes(4).toString('base64url').slice(0, 5);
  /** Called when what is routable may have changed (tcpListeners open and close on it). */
  readonly routabilityWatchers = new Set<() => void>();
  private readonly localMobile = new Set<string>();
  private readonly edgeConnections: EdgeConnections;

  constructor(readonly settings: RouterSettings) {
    this.rules = new DistributionRules(settings.defaultDistribution);
    const neighbors = new Map<string, Neighbor>();
    this.forwarder = new Forwarder(settings.id, this.routes, neighbors, this.rules);
    this.groups = new NeighborGroups(settings.id, this.forwarder, this.hooks, neighbors);
    this.clientLinks = new ClientLinks(this, this.forwarder);
    this.edgeConnections = new EdgeConnections(this);
    this.routes.onChange = () => this.routabilityChanged();
  }

  get id(): string {
    return this.settings.id;
  }

  /** Inter-router neighbors by router id. */
  get neighbors(): ReadonlyMap<string, Neighbor> {
    return this.groups.neighbors;
  }

  /** Open connections by id, as management lists them. */
  get connections(): ReadonlyMap<number, Readonly<ConnectionRecord>> {
    return this.records;
  }

  // ---- connections -----------------------------------------------------------------------

  /** A listener accepted a socket: AMQP runs on it in the listener's role. */
  accept(spec: ListenerSettings, accepted: AcceptedSocket): void {
    this.runConnection(accepted.socket, 'in', spec.role, accepted.peer, accepted.transport, {
      maxFrameSize: spec.maxFrameSize,
      idleTimeoutSeconds: spec.idleTimeoutSeconds,
      cost: spec.cost,
      saslServer: { mechanisms: offeredMechanisms(spec.saslMechanisms), peerCertificateVerified: accepted.peerCertificateVerified },
      requireSasl: spec.authenticatePeer,
    });
  }

  /** A connector's socket is up: AMQP runs on it in the connector's role, as a member of `group`. */
  connect(spec: ConnectorSettings, dialled: DialledSocket, group: ConnectionGroup): Connection {
    return this.runConnection(dialled.socket, 'out', spec.role, `${spec.host}:${spec.port}`, dialled.transport, {
      maxFrameSize: spec.maxFrameSize,
      idleTimeoutSeconds: spec.idleTimeoutSeconds,
      cost: spec.cost,
      saslClient: { mechanisms: dialled.external ? ['EXTERNAL', 'ANONYMOUS'] : ['ANONYMOUS'] },
      group,
    }).connection;
  }

  /** Closes one connection, as management's `adminStatus: deleted` asks (a connector dials again). */
  closeConnection(id: number): void {
    this.records.get(id)?.connection.close({ condition: 'amqp:connection:forced', description: 'closed by management (adminStatus deleted)' });
  }

  /** Closes every connection (the daemon has stopped its listeners and connectors). */
  closeConnections(): void {
    for (const record of this.records.values()) record.connection.close({ condition: 'amqp:connection:forced', description: 'router shutting down' });
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
      group?: ConnectionGroup;
    },
  ): ConnectionRecord {
    const id = this.nextConnectionId++;
    const connection = new Connection(socket, {
      role: direction === 'in' ? 'server' : 'client',
      containerId: this.id,
      ...(direction === 'out' ? { hostname: host.slice(0, host.lastIndexOf(':')) } : {}),
      logId: `[C${id}]`,
      peer: host,
      maxFrameSize: o.maxFrameSize,
      idleTimeoutMs: o.idleTimeoutSeconds * 1000,
      properties: ourProperties(id, direction === 'in' ? `${this.accessPrefix}:${id}` : undefined, o.group, o.cost),
      offeredCapabilities: CONNECTION_CAPABILITIES,
      desiredCapabilities: CONNECTION_CAPABILITIES,
      ...(o.saslServer === undefined ? {} : { saslServer: o.saslServer }),
      ...(o.requireSasl === undefined ? {} : { requireSasl: o.requireSasl }),
      ...(o.saslClient === undefined ? {} : { saslClient: o.saslClient }),
    });
    const record: ConnectionRecord = { id, connection, role, direction, host, transport, opened: false };
    this.records.set(id, record);
    connection.opened.add(() => {
      record.opened = true;
      log.info(`[C${id}] connection ${direction === 'in' ? 'from' : 'to'} ${host} opened (role ${role}, container ${String(connection.remoteOpen?.containerId)})`);
      const peerId = String(connection.remoteOpen?.containerId);
      if (role === 'inter-router') this.groups.opened(record, o.cost, o.group?.correlator);
      else if (role === 'normal') connection.onSessionBegun = (session) => this.clientLinks.acceptSession(session);
      else if (direction === 'out') this.edgeConnections.uplinkOpened(connection, peerId);
      else if (this.settings.mode === 'interior') this.edgeConnections.edgeAttached(connection, peerId);
      else connection.close({ condition: 'amqp:not-allowed', description: `router ${this.id} is not interior: it takes no edge connections` });
    });
    connection.closed.add((_c, error) => {
      this.records.delete(id);
      // A connection we refused or failed has had its one line, saying why.
      if (connection.failed) return;
      log.info(`[C${id}] connection ${direction === 'in' ? 'from' : 'to'} ${host} closed${error ? `: ${error.description ?? error.condition}` : ''}`);
    });
    return record;
  }

  // ---- addresses -------------------------------------------------------------------------

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

  /** True when a message or stream to `address` has somewhere to go now. */
  isRoutable(address: string): boolean {
    return this.forwarder.destinations.isRoutable(address);
  }

  /** What is routable may have changed: tell the watchers and the producers. */
  routabilityChanged(): void {
    for (const watch of this.routabilityWatchers) watch();
    this.clientLinks.producers.refresh();
  }

  // ---- streams, services and messages of this router -------------------------------------

  /** Starts a stream from a local adaptor; undefined when its address is unreachable. */
  openStream(head: StreamHead, source: StreamSource): StreamSink | undefined {
    const bytes = encodeStreamHead(head);
    return this.forwarder.forwardStream({ bytes, view: viewMessage(bytes), head, source, from: undefined });
  }

  /** Registers an in-process stream endpoint on an address key ('M' + mobile, 'L' + local). */
  addStreamEndpoint(key: AddressKey, endpoint: StreamEndpoint): void {
    const count = this.forwarder.tables.addStreamEndpoint(key, endpoint);
    if (key.startsWith('M') && count === 1) this.announce(key.slice(1), true);
    this.routabilityChanged();
  }

  removeStreamEndpoint(key: AddressKey, endpoint: StreamEndpoint): void {
    const remaining = this.forwarder.tables.removeStreamEndpoint(key, endpoint);
    if (key.startsWith('M') && remaining === 0) this.announce(key.slice(1), false);
    this.routabilityChanged();
  }

  /** Registers an in-process service on a local (`_local/x`, `_topo/0/<me>/x`) or mobile address. */
  serve(key: AddressKey, handler: InProcessHandler): void {
    this.forwarder.tables.serve(key, handler);
  }

  /** Sends a routing-protocol message straight to one neighbor on its control link (HELLO). */
  sendToNeighbor(neighbor: Neighbor, bytes: Buffer): void {
    this.forwarder.sendToNeighbor(neighbor, bytes);
  }

  /** Sends a message this router composed (management replies, routing protocol messages). */
  sendMessage(bytes: Buffer): void {
    this.forwarder.forward({ bytes, delivery: undefined, from: undefined, linkTarget: undefined, logId: undefined });
  }

  // ---- read-only views for management ----------------------------------------------------

  /** What the forwarder delivers to here. */
  get forwarding(): ForwardingView {
    return this.forwarder.tables;
  }

  get deliveryCounts(): DeliveryCounts {
    return this.forwarder;
  }

  get producerCounts(): ProducerCounts {
    return this.clientLinks.producers;
  }
}
