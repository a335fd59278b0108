import { afterAll, describe, expect, it } from 'vitest';
import { validateEntity } from '../../router/src/config/validate.js';
import { differs, planSync, usersOf } from '../../site-controller/src/adaptor/entity-diff.js';
import { parseRouterConfig, type RouterEntity, type SyncedType } from '../../site-controller/src/adaptor/router-config.js';
import { TestPki } from '../support/tls-files.js';

const entity = (type: SyncedType, name: string, attributes: Record<string, unknown> = {}): RouterEntity => ({ type, name, attributes: { name, ...attributes } });
const keys = (plan: ReturnType<typeof planSync>): { deletes: string[]; creates: string[] } => ({
  deletes: plan.deletes.map((r) => `${r.type}/${r.name}`),
  creates: plan.creates.map((e) => `${e.type}/${e.name}`),
});

const pki = new TestPki('adaptor-diff');
afterAll(() => pki.dispose());

describe('adaptor diff - planSync', () => {
  const profile = entity('sslProfile', 'west-profile', { caCertFile: '/c/west-profile/ca.crt', certFile: '/c/west-profile/tls.crt', privateKeyFile: '/c/west-profile/tls.key' });
  const link = entity('connector', 'west', { role: 'inter-router', host: 'w.example', port: '55671', cost: 1, sslProfile: 'west-profile' });
  const health = entity('listener', 'health', { port: 9090, http: true });

  it('creates what is missing, profiles before their users', () => {
    expect(keys(planSync({ desired: [link, profile, health], actual: [health] }))).toEqual({ deletes: [], creates: ['sslProfile/west-profile', 'connector/west'] });
  });

  it('deletes what is extra, users before their profiles', () => {
    expect(keys(planSync({ desired: [health], actual: [profile, link, health] }))).toEqual({ deletes: ['connector/west', 'sslProfile/west-profile'], creates: [] });
  });

  it('replaces what differs and leaves the rest alone', () => {
    const moved = entity('connector', 'west', { ...link.attributes, port: '55672' });
    expect(keys(planSync({ desired: [profile, moved, health], actual: [profile, link, health] }))).toEqual({ deletes: ['connector/west'], creates: ['connector/west'] });
  });

  it('replaces a profile whose files changed, and every entity using it', () => {
    const plan = planSync({ desired: [profile, link, health], actual: [profile, link, health], changedProfiles: new Set(['west-profile']) });
    expect(keys(plan)).toEqual({ deletes: ['connector/west', 'sslProfile/west-profile'], creates: ['sslProfile/west-profile', 'connector/west'] });
  });

  it('holds entities whose Secret is missing: neither created, deleted nor replaced', () => {
    const held = usersOf([profile, link, health], new Set(['west-profile']));
    expect([...held].sort()).toEqual(['connector/west', 'sslProfile/west-profile']);
    expect(keys(planSync({ desired: [profile, link], actual: [], held }))).toEqual({ deletes: [], creates: [] });
    const moved = entity('connector', 'west', { ...link.attributes, host: 'elsewhere' });
    expect(keys(planSync({ desired: [profile, moved], actual: [profile, link], held }))).toEqual({ deletes: [], creates: [] });
  });

  it('is empty when the router matches the config', () => {
    expect(keys(planSync({ desired: [profile, link, health], actual: [health, link, profile] }))).toEqual({ deletes: [], creates: [] });
  });
});

describe('adaptor diff - attribute comparison', () => {
  it('compares only what the config sets, loosely typed', () => {
    expect(differs({ port: 55671, cost: '2', authenticatePeer: 'yes' }, { port: '55671', cost: 2, authenticatePeer: true, host: 'x', maxFrameSize: 16384 })).toBe(false);
    expect(differs({ port: 55671 }, { port: '55672' })).toBe(true);
    expect(differs({ sslProfile: 'a' }, {})).toBe(true);
    expect(differs({ openProperties: { a: 1, b: 2 } }, { openProperties: { b: 2, a: 1 } })).toBe(false);
    expect(differs({ saslPassword: 'secret' }, { saslPassword: null })).toBe(false);
  });

  it('sees no difference between a config entity and the router\'s stored version of it', () => {
    const files = pki.issue('router');
    const config = parseRouterConfig(JSON.stringify([
      ['router', { id: 'west-1234abcd', mode: 'interior' }],
      ['sslProfile', { name: 'skupper-site-server', caCertFile: files.caCertFile, certFile: files.certFile, privateKeyFile: files.privateKeyFile }],
      ['listener', { name: 'amqp', host: '127.0.0.1', port: 5672 }],
      ['listener', { name: 'health', host: '0.0.0.0', port: 9090, http: true, healthz: true, metrics: true }],
      ['listener', { name: 'skupper-router-inter-router', role: 'inter-router', port: 55671, sslProfile: 'skupper-site-server', saslMechanisms: 'EXTERNAL', authenticatePeer: true }],
      ['connector', { name: 'to-east', role: 'inter-router', host: 'east.example', port: '55671', cost: 1, sslProfile: 'skupper-site-server', verifyHostname: 'yes' }],
    ]));
    for (const wanted of config.entities) {
      const { entity: stored } = validateEntity(wanted.type, { ...wanted.attributes }, { hasSslProfile: () => true });
      expect(stored, `${wanted.type} ${wanted.name}`).toBeDefined();
      expect(differs(wanted.attributes, stored!.attributes), `${wanted.type} ${wanted.name}`).toBe(false);
    }
  });
});

describe('adaptor diff - the router config', () => {
  it('reads the router id and mode, and names nameless entities as the router does', () => {
    const config = parseRouterConfig(JSON.stringify([
      ['router', { id: 'r1', mode: 'edge' }],
      ['address', { prefix: 'mc', distribution: 'multicast' }],
      ['listener', { port: 5672 }],
      ['connector', { port: '55671' }],
    ]));
    expect(config.routerId).toBe('r1');
    expect(config.mode).toBe('edge');
    expect(config.entities.map((e) => e.name)).toEqual(['listener/:5672', 'connector/127.0.0.1:55671']);
  });

  it('leaves tcpListener and tcpConnector out: they are the service-controller\'s (ADR 0005)', () => {
    const config = parseRouterConfig(JSON.stringify([
      ['listener', { name: 'amqp', port: 5672 }],
      ['tcpListener', { name: 'db', host: '0.0.0.0', port: 5432, address: 'db' }],
      ['tcpConnector', { name: 'db@10.0.0.5', host: '10.0.0.5', port: '5432', address: 'db' }],
    ]));
    expect(config.entities.map((e) => `${e.type}/${e.name}`)).toEqual(['listener/amqp']);
  });

  it('names what is wrong with a bad config', () => {
    expect(() => parseRouterConfig('{')).toThrow(/skupper-router: skrouterd.json is not JSON/);
    expect(() => parseRouterConfig('[["listener"]]')).toThrow(/entry 0 is not a \[type, attributes\] pair/);
  });
});
