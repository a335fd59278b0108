/**
 * The whole desired router config of a site (reference §6, ADR 0004), written into ConfigMap
 * `skupper-router`: the kube-adaptor creates and deletes entities on the running router to match it,
 * so this is a pure function of the Site, its RouterAccesses and its usable Links.
 */
import { CertsDir, Port, linkProfile, objectEntityName, routerId } from '../../../common/src/kube-api/names.js';
import type { Link, RouterAccess, Site } from '../../../common/src/kube-api/types.js';
import { linkEndpoint, linkRole } from './link-endpoint.js';

export type EntityAttributes = Record<string, string | number | boolean>;
export type ConfigEntity = [string, EntityAttributes];

export const ListenerName = { management: 'amqp', health: 'health' } as const;

function sslProfile(name: string): ConfigEntity {
  const dir = `${CertsDir}/${name}`;
  return ['sslProfile', { name, certFile: `${dir}/tls.crt`, privateKeyFile: `${dir}/tls.key`, caCertFile: `${dir}/ca.crt` }];
}

function byName<T extends { metadata: { name: string } }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** Listeners (and their server sslProfiles) of the RouterAccesses; an edge router accepts no links. */
function accessEntities(site: Site, accesses: readonly RouterAccess[]): ConfigEntity[] {
  if (site.spec?.edge === true) return [];
  const profiles = new Map<string, ConfigEntity>();
  const listeners: ConfigEntity[] = [];
  for (const access of byName(accesses)) {
    const profile = access.spec?.tlsCredentials;
    if (profile === undefined || profile === '') continue;
    profiles.set(profile, sslProfile(profile));
    for (const role of access.spec?.roles ?? []) {
      const attributes: EntityAttributes = {
        name: `${access.metadata.name}-${role.name}`,
        role: role.name,
        port: String(role.port),
        sslProfile: profile,
        authenticatePeer: true,
        saslMechanisms: 'EXTERNAL',
      };
      if (access.spec?.bindHost !== undefined && access.spec.bindHost !== '') attributes['host'] = access.spec.bindHost;
      listeners.push(['listener', attributes]);
    }
  }
  return [...profiles.values(), ...listeners];
}

/**
 * One connector per Link that has an endpoint for this site's role and credentials named, named
 * `<link>@<host>:<port>` so that no Link's name can clash with another router entity's.
 */
function linkEntities(site: Site, links: readonly Link[]): ConfigEntity[] {
  const role = linkRole(site);
  const profiles = new Map<string, ConfigEntity>();
  const connectors: ConfigEntity[] = [];
  for (const link of byName(links)) {
    const endpoint = linkEndpoint(link, role);
    const secret = link.spec?.tlsCredentials;
    if (endpoint === undefined || secret === undefined || secret === '') continue;
    const profile = linkProfile(secret);
    profiles.set(profile, sslProfile(profile));
    connectors.push(['connector', {
      name: objectEntityName(link.metadata.name, endpoint.host, endpoint.port),
      role,
      host: endpoint.host,
      port: endpoint.port,
      cost: Math.max(1, link.spec?.cost ?? 1),
      sslProfile: profile,
    }]);
  }
  return [...profiles.values(), ...connectors];
}

export function routerConfig(site: Site, accesses: readonly RouterAccess[], links: readonly Link[]): ConfigEntity[] {
  const uid = site.metadata.uid ?? '';
  const metadata = { id: uid, name: site.metadata.name, namespace: site.metadata.namespace ?? '', platform: 'kubernetes' };
  return [
    ['router', { id: routerId(site.metadata.name, uid), mode: site.spec?.edge === true ? 'edge' : 'interior', metadata: JSON.stringify(metadata) }],
    ['address', { prefix: 'mc', distribution: 'multicast' }],
    ['listener', { name: ListenerName.management, host: '127.0.0.1', port: String(Port.management), role: 'normal' }],
    ['listener', { name: ListenerName.health, host: '0.0.0.0', port: String(Port.routerHealth), role: 'normal', http: true, healthz: true, metrics: true }],
    ...accessEntities(site, accesses),
    ...linkEntities(site, links),
  ];
}

/** The ConfigMap value: one entity per line, so a diff of two versions reads entity by entity. */
export function renderRouterConfig(entities: readonly ConfigEntity[]): string {
  return `[\n${entities.map((e) => `  ${JSON.stringify(e)}`).join(',\n')}\n]\n`;
}
