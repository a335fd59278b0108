/**
 * The router config a site generates (reference §6), as pure functions of its state. The same entity
 * builders serve the config file written for `start` and the live CREATEs sent over management, so
 * a running router and its config never drift apart.
 */
import { acceptsLinks, type ExposedHost, type LinkRecord, type ServiceListener, type SiteState } from './site-state.js';
import { SITE_SERVER, tlsFiles } from './site-certs.js';
import type { SitePaths } from './site-paths.js';
import { siteListeners } from '../sync/site-listeners.js';
import type { SyncedServices } from '../sync/sync-files.js';

export type EntityAttributes = Record<string, string | number | boolean>;
export type ConfigEntity = [string, EntityAttributes];

/** Skupper's names for the amqp, inter-router and edge listeners (reference §6), so logs read alike. */
const ListenerName = {
  management: 'amqp',
  http: 'health',
  interRouter: 'interior-listener',
  edge: 'edge-listener',
} as const;

export const SERVER_PROFILE = 'skupper-internal';

export function linkProfileName(link: string): string {
  return `${link}-profile`;
}

/** The sslProfile and connector for one outgoing link (Skupper's `<link>-profile` + `<link>`). */
export function linkEntities(paths: SitePaths, link: LinkRecord): [ConfigEntity, ConfigEntity] {
  const profile = linkProfileName(link.name);
  return [
    ['sslProfile', { name: profile, ...tlsFiles(paths.certs(profile)) }],
    ['connector', { name: link.name, role: link.role, host: link.host, port: String(link.port), cost: link.cost, sslProfile: profile }],
  ];
}

export function exposedEntity(exposed: ExposedHost): ConfigEntity {
  return ['tcpConnector', { name: exposed.name, host: exposed.host, port: String(exposed.port), address: exposed.address }];
}

/**
 * A service's tcpListener is named `<name>:<port>`, as Skupper v1 names its bridges: the router wants
 * every entity's name unique whatever its type, and a service (this site's or another site's) may
 * well share its name with a link or a listener.
 */
export function listenerEntityName(service: ServiceListener): string {
  return `${service.name}:${service.port}`;
}

/** An entity name a link called `name` would take (its connector or its profile) that the site uses already. */
export function linkNameClash(state: SiteState, name: string): string | undefined {
  const taken = new Set<string>([...Object.values(ListenerName), SERVER_PROFILE, ...state.links.flatMap((l) => [l.name, linkProfileName(l.name)])]);
  return [name, linkProfileName(name)].find((n) => taken.has(n));
}

export function serviceEntity(service: ServiceListener): ConfigEntity {
  return ['tcpListener', { name: listenerEntityName(service), host: service.host, port: String(service.port), address: service.address }];
}

/** `synced` adds a listener for every service other sites announced (see site-listeners.ts). */
export function routerConfig(state: SiteState, paths: SitePaths, synced: SyncedServices): ConfigEntity[] {
  const entities: ConfigEntity[] = [
    ['router', { id: state.routerId, mode: state.mode, metadata: JSON.stringify({ id: state.id, name: state.name, platform: 'local' }) }],
    // Declared as Skupper does, so service sync (mc/$skupper-service-sync) is multicast whatever the default.
    ['address', { prefix: 'mc', distribution: 'multicast' }],
    ['listener', { name: ListenerName.management, host: '127.0.0.1', port: state.ports.management, role: 'normal' }],
    ['listener', { name: ListenerName.http, host: '127.0.0.1', port: state.ports.http, role: 'normal', http: true, healthz: true, metrics: true }],
  ];
  if (acceptsLinks(state) && state.ingressHost !== null) {
    entities.push(['sslProfile', { name: SERVER_PROFILE, ...tlsFiles(paths.certs(SITE_SERVER)) }]);
    const secured = { host: state.ingressHost, sslProfile: SERVER_PROFILE, authenticatePeer: true, saslMechanisms: 'EXTERNAL' };
    entities.push(['listener', { name: ListenerName.interRouter, role: 'inter-router', port: state.ports.interRouter, ...secured }]);
    entities.push(['listener', { name: ListenerName.edge, role: 'edge', port: state.ports.edge, ...secured }]);
  }
  for (const link of state.links) entities.push(...linkEntities(paths, link));
  for (const exposed of state.exposed) entities.push(exposedEntity(exposed));
  for (const listener of siteListeners(state, synced)) entities.push(serviceEntity(listener));
  return entities;
}
