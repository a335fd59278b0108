/**
 * Assembles a running router from its configuration: logging, address rules, the router core,
 * the routing protocol, management, and the listeners and connectors — in skupper-router's
 * order, with listeners and connectors last so traffic starts only once everything is in place.
 */
import type { RouterConfig, SslProfileSettings } from './config/settings.js';
import { Router } from './core/router.js';
import { configureLog, logger } from './log.js';

const log = logger('ROUTER');

export class RouterDaemon {
  readonly router: Router;
  private readonly sslProfiles = new Map<string, SslProfileSettings>();

  constructor(readonly config: RouterConfig) {
    for (const profile of config.sslProfiles) this.sslProfiles.set(profile.name, profile);
    this.router = new Router(config.router, (name) => this.sslProfiles.get(name)?.tls);
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
    for (const address of c.addresses) {
      if (address.prefix !== undefined) this.router.rules.add({ prefix: address.prefix, distribution: address.distribution });
    }
    for (const listener of c.listeners) await this.router.addListener(listener);
    for (const connector of c.connectors) this.router.addConnector(connector);
    log.info(`router ${c.router.id} started (mode ${c.router.mode})`);
  }

  async stop(): Promise<void> {
    await this.router.stop();
    log.info(`router ${this.config.router.id} stopped`);
  }
}
