/**
 * Assembles a running router from its configuration: logging, address rules, the router core,
 * the routing protocol, management, and the listeners and connectors — in skupper-router's
 * order, with listeners and connectors last so traffic starts only once everything is in place.
 */
import type { ListenerSettings, RouterConfig, SslProfileSettings, TcpConnectorSettings, TcpListenerSettings, TlsMaterial } from './config/settings.js';
import { TcpConnectorAdaptor } from './adaptors/tcp/tcp-connector.js';
import { TcpListenerAdaptor } from './adaptors/tcp/tcp-listener.js';
import { Router } from './core/router.js';
import { attachManagement, type Management } from './daemon-management.js';
import { Transports } from './daemon-transports.js';
import { RoutingDriver } from './core/routing/routing-driver.js';
import { IdleCollector } from './daemon-memory.js';
import { configureLog, logger } from './log.js';
import type { HttpRequestHandler } from './mgmt/http-server.js';

const log = logger('ROUTER');

export class RouterDaemon {
  readonly router: Router;
  /** The sockets of listeners and connectors, handed to the router once they are up. */
  readonly transports: Transports;
  private management: Management | undefined = undefined;
  private readonly sslProfiles = new Map<string, SslProfileSettings>();
  readonly tcpListeners = new Map<string, TcpListenerAdaptor>();
  readonly tcpConnectors = new Map<string, TcpConnectorAdaptor>();
  readonly startedAt = Date.now();
  /** The link-state routing protocol; interior routers only. */
  readonly routing: RoutingDriver | undefined;
  private readonly memory = new IdleCollector();
  started = false;

  constructor(readonly config: RouterConfig) {
    for (const profile of config.sslProfiles) this.sslProfiles.set(profile.name, profile);
    this.router = new Router(config.router);
    this.transports = new Transports(this.router, (profile) => this.tlsOf(profile), (spec) => this.httpHandlerFor(spec));
    this.routing = config.router.mode === 'edge' ? undefined : new RoutingDriver(this.router);
  }

  async start(): Promise<void> {
    const c = this.config;
    for (const entry of c.logs) {
      configureLog(entry.module, {
        ...(entry.enable === undefined ? {} : { enable: entry.enable }),
        ...(entry.includeTimestamp === undefined ? {} : { includeTimestamp: entry.includeTimestamp }),
        ...(entry.outputFile === undefined ? {} : { outputFile: entry.outputFile }),
      });
    }
    for (const warning of c.warnings) log.warning(warning);
    this.management = attachManagement(this);
    this.routing?.start();
    this.memory.start();
    for (const address of c.addresses) {
      if (address.prefix !== undefined) this.router.rules.add({ prefix: address.prefix, distribution: address.distribution });
    }
    for (const settings of c.tcpConnectors) this.addTcpConnector(settings);
    for (const settings of c.tcpListeners) this.addTcpListener(settings);
    for (const listener of c.listeners) await this.transports.addListener(listener);
    for (const connector of c.connectors) this.transports.addConnector(connector);
    this.started = true;
    log.info(`router ${c.router.id} started (mode ${c.router.mode})`);
  }

  addTcpListener(settings: TcpListenerSettings): TcpListenerAdaptor {
    const adaptor = new TcpListenerAdaptor(this.router, settings, this.tlsOf(settings.sslProfile));
    this.tcpListeners.set(settings.name, adaptor);
    adaptor.start();
    return adaptor;
  }

  addTcpConnector(settings: TcpConnectorSettings): TcpConnectorAdaptor {
    const adaptor = new TcpConnectorAdaptor(this.router, settings, this.tlsOf(settings.sslProfile));
    this.tcpConnectors.set(settings.name, adaptor);
    adaptor.start();
    return adaptor;
  }

  removeTcpListener(name: string): void {
    const adaptor = this.tcpListeners.get(name);
    this.tcpListeners.delete(name);
    adaptor?.stop(this.config.router.dropTcpConnections);
  }

  removeTcpConnector(name: string): void {
    const adaptor = this.tcpConnectors.get(name);
    this.tcpConnectors.delete(name);
    adaptor?.stop(this.config.router.dropTcpConnections);
  }

  addSslProfile(profile: SslProfileSettings): void {
    this.sslProfiles.set(profile.name, profile);
  }

  removeSslProfile(name: string): void {
    this.sslProfiles.delete(name);
  }

  /** An http listener's handler: management's, with that listener's switches (listeners open after management). */
  private httpHandlerFor(spec: ListenerSettings): HttpRequestHandler {
    if (this.management === undefined) throw new Error(`listener ${spec.name}: http listeners open only once management is attached`);
    return this.management.httpHandlerFor(spec);
  }

  private tlsOf(profile: string | undefined): TlsMaterial | undefined {
    return profile === undefined ? undefined : this.sslProfiles.get(profile)?.tls;
  }

  async stop(): Promise<void> {
    for (const adaptor of this.tcpListeners.values()) adaptor.stop(true);
    for (const adaptor of this.tcpConnectors.values()) adaptor.stop(true);
    this.routing?.stop();
    this.memory.stop();
    await this.transports.stop();
    log.info(`router ${this.config.router.id} stopped`);
  }
}
