/**
 * The daemon's transports: AMQP listeners (TCP, TLS, and WebSocket beside health and metrics on
 * http listeners) and reconnecting connectors. Each socket that is up goes to the router, which
 * runs AMQP on it; a connector dials again when the connection built on its socket closes. An
 * inter-router connector dials its whole connection group: the control connection and the
 * router's dataConnectionCount data connections, tied together by one correlator.
 */
import { randomBytes } from 'node:crypto';
import type { ListenerSettings, ConnectorSettings, TlsMaterial } from './config/settings.js';
import type { Router } from './core/router.js';
import { logger } from './log.js';
import type { HttpRequestHandler } from './mgmt/http-server.js';
import { TransportConnector, type ConnectionStatus } from './transport/connector.js';
import { TransportListener } from './transport/listener.js';

const log = logger('ROUTER');

interface ConnectorGroup {
  /** The control connection's dialer (the group's only one for other roles). */
  control: TransportConnector;
  /** The inter-router-data connections of the group. */
  data: TransportConnector[];
}

export class Transports {
  private readonly listeners = new Map<string, TransportListener>();
  private readonly connectors = new Map<string, ConnectorGroup>();

  constructor(
    private readonly router: Router,
    /** An sslProfile's PEM material (none without a profile). */
    private readonly tlsFor: (profile: string | undefined) => TlsMaterial | undefined,
    /** The handler of non-WebSocket requests on an http listener (health, metrics, as it allows). */
    private readonly httpHandlerFor: (spec: ListenerSettings) => HttpRequestHandler,
  ) {}

  async addListener(spec: ListenerSettings): Promise<number> {
    const tls = this.tlsFor(spec.sslProfile);
    const transport = new TransportListener(
      {
        name: spec.name,
        host: spec.host,
        port: spec.port,
        authenticatePeer: spec.authenticatePeer,
        ...(tls === undefined ? {} : { tls }),
        ...(spec.http ? { http: { handler: this.httpHandlerFor(spec), websockets: spec.websockets } } : {}),
      },
      (accepted) => this.router.accept(spec, accepted),
    );
    const port = await transport.start();
    this.listeners.set(spec.name, transport);
    log.info(`listener ${spec.name} (${spec.role}) listening on ${spec.host || '0.0.0.0'}:${port}`);
    return port;
  }

  async removeListener(name: string): Promise<void> {
    const transport = this.listeners.get(name);
    this.listeners.delete(name);
    await transport?.stop();
  }

  addConnector(spec: ConnectorSettings): void {
    const correlator = randomBytes(12).toString('base64').slice(0, 15);
    const dataCount = spec.role === 'inter-router' ? this.router.settings.dataConnectionCount : 0;
    const group: ConnectorGroup = {
      control: this.dialer(spec, correlator, false),
      data: Array.from({ length: dataCount }, () => this.dialer(spec, correlator, true)),
    };
    this.connectors.set(spec.name, group);
    group.control.start();
    for (const data of group.data) data.start();
  }

  /** A reconnecting dialer for a connector's control connection or one of its data connections. */
  private dialer(spec: ConnectorSettings, correlator: string, data: boolean): TransportConnector {
    const tls = this.tlsFor(spec.sslProfile);
    const transport: TransportConnector = new TransportConnector(
      { name: spec.name, host: spec.host, port: spec.port, verifyHostname: spec.verifyHostname, ...(tls === undefined ? {} : { tls }) },
      (socket, verified) => {
        const dialled = { socket, transport: tls === undefined ? ('tcp' as const) : ('tls' as const), external: verified && tls?.cert !== undefined };
        const connection = this.router.connect(spec, dialled, { correlator, data });
        connection.closed.add((_c, error) => transport.lost(error?.description ?? 'connection closed'));
      },
    );
    return transport;
  }

  removeConnector(name: string): void {
    const group = this.connectors.get(name);
    this.connectors.delete(name);
    group?.control.stop();
    for (const data of group?.data ?? []) data.stop();
  }

  /** How a connector's control connection is doing, as management shows it. */
  connectorStatus(name: string): { status: ConnectionStatus; lastError: string } | undefined {
    return this.connectors.get(name)?.control;
  }

  /** Stops dialling, closes every connection, and stops listening. */
  async stop(): Promise<void> {
    for (const name of [...this.connectors.keys()]) this.removeConnector(name);
    this.router.closeConnections();
    await Promise.all([...this.listeners.keys()].map((name) => this.removeListener(name)));
  }
}
