import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { createCa, issueCertificate } from '../../common/src/pki.js';
import { CertsDir } from '../../common/src/kube-api/names.js';
import { buildRouterConfig } from '../../router/src/config/load.js';
import { renderRouterConfig, routerConfig, type ConfigEntity } from '../../site-controller/src/desired/router-config.js';
import { routerConfigMap } from '../../site-controller/src/desired/router-config-map.js';
import { access, endpoints, link, site, SITE_UID } from './desired-fixtures.js';

function named(entities: ConfigEntity[], type: string, name: string): Record<string, unknown> | undefined {
  return entities.find(([t, a]) => t === type && a['name'] === name)?.[1];
}

describe('desired router config', () => {
  test('router config - router, mc address, management and health listeners for a site without access or links', () => {
    const entities = routerConfig(site(), [], []);
    expect(entities).toEqual([
      ['router', { id: 'west-3f1c2a9e', mode: 'interior', metadata: JSON.stringify({ id: SITE_UID, name: 'west', namespace: 'west-ns', platform: 'kubernetes' }) }],
      ['address', { prefix: 'mc', distribution: 'multicast' }],
      ['listener', { name: 'amqp', host: '127.0.0.1', port: '5672', role: 'normal' }],
      ['listener', { name: 'health', host: '0.0.0.0', port: '9090', role: 'normal', http: true, healthz: true, metrics: true }],
    ]);
  });

  test('router config - a RouterAccess gives the server sslProfile and mutual-TLS inter-router and edge listeners', () => {
    const entities = routerConfig(site({ linkAccess: 'default' }), [access('loadbalancer')], []);
    expect(named(entities, 'sslProfile', 'skupper-site-server')).toEqual({
      name: 'skupper-site-server',
      certFile: '/etc/skupper-router-certs/skupper-site-server/tls.crt',
      privateKeyFile: '/etc/skupper-router-certs/skupper-site-server/tls.key',
      caCertFile: '/etc/skupper-router-certs/skupper-site-server/ca.crt',
    });
    expect(named(entities, 'listener', 'skupper-router-inter-router')).toEqual({
      name: 'skupper-router-inter-router', role: 'inter-router', port: '55671', sslProfile: 'skupper-site-server', authenticatePeer: true, saslMechanisms: 'EXTERNAL',
    });
    expect(named(entities, 'listener', 'skupper-router-edge')).toMatchObject({ role: 'edge', port: '45671', sslProfile: 'skupper-site-server' });
  });

  test('router config - each Link is a connector named <link>@<host>:<port>, with its credentials profile, the role endpoint and its cost', () => {
    const links = [
      link('to-east', { endpoints: endpoints('172.30.2.100'), tlsCredentials: 'to-east', cost: 3 }),
      link('a-first', { endpoints: endpoints('east.example'), tlsCredentials: 'creds' }),
    ];
    const entities = routerConfig(site(), [], links);
    expect(named(entities, 'connector', 'to-east@172.30.2.100:55671')).toEqual({ name: 'to-east@172.30.2.100:55671', role: 'inter-router', host: '172.30.2.100', port: '55671', cost: 3, sslProfile: 'to-east-profile' });
    expect(named(entities, 'connector', 'a-first@east.example:55671')).toMatchObject({ cost: 1, sslProfile: 'creds-profile', host: 'east.example' });
    expect(named(entities, 'sslProfile', 'to-east-profile')).toMatchObject({ certFile: '/etc/skupper-router-certs/to-east-profile/tls.crt' });
    // Sorted by name, so the config does not change with the order the cache lists Links in.
    const connectors = entities.filter(([t]) => t === 'connector').map(([, a]) => a['name']);
    expect(connectors).toEqual(['a-first@east.example:55671', 'to-east@172.30.2.100:55671']);
    expect(renderRouterConfig(routerConfig(site(), [], [...links].reverse()))).toBe(renderRouterConfig(entities));
  });

  test('router config - an edge site is in edge mode, dials edge endpoints and listens for no links', () => {
    const edge = site({ edge: true, linkAccess: 'default' });
    const entities = routerConfig(edge, [access('loadbalancer', edge)], [link('up', { endpoints: endpoints('10.0.0.1'), tlsCredentials: 'up' })]);
    expect(entities[0]?.[1]['mode']).toBe('edge');
    expect(named(entities, 'connector', 'up@10.0.0.1:45671')).toMatchObject({ role: 'edge', port: '45671' });
    expect(entities.filter(([t, a]) => t === 'listener' && a['role'] !== 'normal')).toEqual([]);
  });

  test('router config - a Link without an endpoint for the role or without credentials is left out', () => {
    const links = [
      link('edge-only', { endpoints: [{ name: 'edge', host: 'h', port: '45671' }], tlsCredentials: 's' }),
      link('no-creds', { endpoints: endpoints('h') }),
    ];
    expect(routerConfig(site(), [], links).filter(([t]) => t === 'connector' || t === 'sslProfile')).toEqual([]);
  });

  test('router config - skiff-router accepts the rendered config without warnings, also with Links named like the site\'s own entities', () => {
    // The router's names are unique across entity types: a connector named `amqp` kept it from starting.
    const linkNames = ['amqp', 'health', 'skupper-router-inter-router', 'skupper-site-server', 'to-east', 'to-east-profile'];
    const links = linkNames.map((name) => link(name, { endpoints: endpoints('172.30.2.100'), tlsCredentials: 'to-east' }));
    const entities = routerConfig(site({ linkAccess: 'default' }), [access('loadbalancer')], links);
    // The adaptor writes each profile's files under the certs dir; here a temporary one stands in.
    const dir = mkdtempSync(join(tmpdir(), 'skiff-certs-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const ca = createCa('test-ca');
    const pair = issueCertificate(ca, { commonName: 'skupper-router' });
    for (const profile of ['skupper-site-server', 'to-east-profile']) {
      mkdirSync(join(dir, profile));
      writeFileSync(join(dir, profile, 'tls.crt'), pair.cert);
      writeFileSync(join(dir, profile, 'tls.key'), pair.key);
      writeFileSync(join(dir, profile, 'ca.crt'), ca.cert);
    }
    const text = renderRouterConfig(entities).replaceAll(CertsDir, dir);
    const config = buildRouterConfig(JSON.parse(text), 'skrouterd.json');
    expect(config.warnings).toEqual([]);
    expect(config.listeners.map((l) => l.name).sort()).toEqual(['amqp', 'health', 'skupper-router-edge', 'skupper-router-inter-router']);
    expect(config.connectors.map((c) => c.name)).toEqual(linkNames.map((name) => `${name}@172.30.2.100:55671`));
    expect(config.sslProfiles.map((p) => p.name).sort()).toEqual(['skupper-site-server', 'to-east-profile']);
  });

  test('router config map - skupper-router, key skrouterd.json, owned by the Site, labelled as Skiff', () => {
    const map = routerConfigMap(site(), [], []);
    expect(map.metadata?.name).toBe('skupper-router');
    expect(map.metadata?.labels).toEqual({ 'app.kubernetes.io/part-of': 'skiff', 'app.kubernetes.io/managed-by': 'skiff-site-controller', 'skupper.io/site': 'west' });
    expect(map.metadata?.ownerReferences).toEqual([{ apiVersion: 'skupper.io/v2alpha1', kind: 'Site', name: 'west', uid: SITE_UID, controller: true, blockOwnerDeletion: true }]);
    expect(JSON.parse(map.data?.['skrouterd.json'] ?? '')).toHaveLength(4);
  });
});
