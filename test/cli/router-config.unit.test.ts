import { describe, expect, it } from 'vitest';
import { linkNameClash, routerConfig } from '../../cli/src/site/router-config.js';
import { SitePaths } from '../../cli/src/site/site-paths.js';
import type { SiteState } from '../../cli/src/site/site-state.js';
import type { SyncedServices } from '../../cli/src/sync/sync-files.js';

const paths = new SitePaths('/home/u/skiff/sites/west');
const base: SiteState = {
  id: 'a1b2c3d4-0000',
  name: 'west',
  routerId: 'west-a1b2c3d4',
  mode: 'interior',
  ingressHost: '127.0.0.1',
  ports: { management: 25670, http: 25671, interRouter: 25672, edge: 25673, claims: 25674 },
  links: [],
  exposed: [],
  services: [],
  syncGraceSeconds: 180,
};
const noSync: SyncedServices = { remote: [], ports: {} };

const byName = (state: SiteState): Map<string, [string, Record<string, unknown>]> =>
  new Map(routerConfig(state, paths, noSync).map((e) => [`${e[0]}/${String(e[1].name ?? '')}`, e]));

describe('router config - what a site generates', () => {
  it('has the router, a local management listener and a health listener', () => {
    const config = byName(base);
    expect(config.get('router/')?.[1]).toMatchObject({ id: 'west-a1b2c3d4', mode: 'interior' });
    expect(config.get('listener/amqp')?.[1]).toEqual({ name: 'amqp', host: '127.0.0.1', port: 25670, role: 'normal' });
    expect(config.get('listener/health')?.[1]).toMatchObject({ host: '127.0.0.1', port: 25671, http: true, healthz: true });
  });

  it('secures the inter-router and edge listeners with the site server cert and EXTERNAL auth', () => {
    const config = byName(base);
    expect(config.get('sslProfile/skupper-internal')?.[1]).toEqual({
      name: 'skupper-internal',
      certFile: '/home/u/skiff/sites/west/certs/site-server/tls.crt',
      privateKeyFile: '/home/u/skiff/sites/west/certs/site-server/tls.key',
      caCertFile: '/home/u/skiff/sites/west/certs/site-server/ca.crt',
    });
    for (const [name, role, port] of [['interior-listener', 'inter-router', 25672], ['edge-listener', 'edge', 25673]] as const) {
      expect(config.get(`listener/${name}`)?.[1]).toEqual({ name, role, port, host: '127.0.0.1', sslProfile: 'skupper-internal', authenticatePeer: true, saslMechanisms: 'EXTERNAL' });
    }
  });

  it('has no ingress listeners on edge sites or with ingress none', () => {
    for (const state of [{ ...base, mode: 'edge' as const }, { ...base, ingressHost: null }]) {
      const roles = routerConfig(state, paths, noSync).filter(([t]) => t === 'listener').map(([, a]) => a.role);
      expect(roles).toEqual(['normal', 'normal']);
    }
  });

  it('turns links, exposed hosts and services into sslProfile + connector, tcpConnector and tcpListener', () => {
    const config = byName({
      ...base,
      links: [{ name: 'link1', cost: 3, remoteSiteId: 'r', role: 'inter-router', host: '10.0.0.5', port: 55671 }],
      exposed: [{ name: 'hello', address: 'hello', host: '127.0.0.1', port: 8080 }],
      services: [{ name: 'db', address: 'db', host: '127.0.0.1', port: 5432 }],
    });
    expect(config.get('sslProfile/link1-profile')?.[1]).toMatchObject({ certFile: '/home/u/skiff/sites/west/certs/link1-profile/tls.crt' });
    expect(config.get('connector/link1')?.[1]).toEqual({ name: 'link1', role: 'inter-router', host: '10.0.0.5', port: '55671', cost: 3, sslProfile: 'link1-profile' });
    expect(config.get('tcpConnector/hello')?.[1]).toEqual({ name: 'hello', host: '127.0.0.1', port: '8080', address: 'hello' });
    expect(config.get('tcpListener/db:5432')?.[1]).toEqual({ name: 'db:5432', host: '127.0.0.1', port: '5432', address: 'db' });
  });

  it('gives every entity its own name, though a service shares its name with a link or a listener', () => {
    const config = routerConfig({
      ...base,
      links: [{ name: 'link1', cost: 1, remoteSiteId: 'r', role: 'inter-router', host: '10.0.0.5', port: 55671 }],
      services: ['link1', 'amqp', 'health'].map((name, i) => ({ name, address: name, host: '127.0.0.1', port: 5000 + i })),
    }, paths, noSync);
    const names = config.flatMap(([, attributes]) => (attributes.name === undefined ? [] : [String(attributes.name)]));
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses a link name whose connector or profile would take a name the site uses', () => {
    const state = { ...base, links: [{ name: 'link1', cost: 1, remoteSiteId: 'r', role: 'inter-router' as const, host: 'h', port: 1 }] };
    expect(linkNameClash(state, 'amqp')).toBe('amqp');
    expect(linkNameClash(state, 'health')).toBe('health');
    expect(linkNameClash(state, 'link1-profile')).toBe('link1-profile');
    expect(linkNameClash({ ...state, links: [{ ...state.links[0]!, name: 'a-profile' }] }, 'a')).toBe('a-profile');
    expect(linkNameClash(state, 'link2')).toBeUndefined();
  });

  it('declares mc multicast as Skupper does, for service sync', () => {
    expect(routerConfig(base, paths, noSync)).toContainEqual(['address', { prefix: 'mc', distribution: 'multicast' }]);
  });

  it('listens for synced services on their chosen ports, except where a local service has the address', () => {
    const synced: SyncedServices = {
      remote: [{ address: 'hello', protocol: 'tcp', ports: [8080], origin: 'east-id' }, { address: 'db', protocol: 'tcp', ports: [5432], origin: 'east-id' }],
      ports: { hello: 41000, db: 41001 },
    };
    const listeners = routerConfig({ ...base, services: [{ name: 'db', address: 'db', host: '127.0.0.1', port: 5432 }] }, paths, synced).filter(([t]) => t === 'tcpListener');
    expect(listeners).toEqual([
      ['tcpListener', { name: 'db:5432', host: '127.0.0.1', port: '5432', address: 'db' }],
      ['tcpListener', { name: 'hello:41000', host: '127.0.0.1', port: '41000', address: 'hello' }],
    ]);
  });
});
