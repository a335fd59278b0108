import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from '../../common/src/pki.js';
import { ConfigError } from '../../router/src/errors.js';
import { buildRouterConfig } from '../../router/src/config/load.js';
import type { RouterConfig } from '../../router/src/config/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-config-tls-'));
const file = (name: string): string => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let ca = '';
let cert = '';
let plainKey = '';

beforeAll(() => {
  const authority = createCa('skiff-test-ca');
  const plain = issueCertificate(authority, { commonName: 'router', hosts: ['127.0.0.1'] });
  const locked = issueCertificate(authority, { commonName: 'router', hosts: ['127.0.0.1'], password: 's3cret' });
  ca = authority.cert;
  cert = plain.cert;
  plainKey = plain.key;
  writeFileSync(file('ca.pem'), authority.cert);
  writeFileSync(file('tls.crt'), plain.cert);
  writeFileSync(file('tls.key'), plain.key);
  writeFileSync(file('locked.crt'), locked.cert);
  writeFileSync(file('locked.key'), locked.key);
  writeFileSync(file('password.txt'), 's3cret\n');
  writeFileSync(file('garbage.pem'), 'not a certificate\n');
}, 60_000);

function load(profile: Record<string, unknown>, extra: unknown[] = []): RouterConfig {
  return buildRouterConfig([['sslProfile', { name: 'p', ...profile }], ...extra], 'r.json');
}

function messageOf(profile: Record<string, unknown>): string {
  try {
    load(profile);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message.split('\n').length).toBeLessThanOrEqual(3);
    return message;
  }
  throw new Error('the sslProfile was accepted, but an error was expected');
}

describe('config tls - sslProfile files are loaded for the TLS engine', () => {
  it('reads CA, certificate and key into PEM strings that make a secure context', () => {
    const config = load({ caCertFile: file('ca.pem'), certFile: file('tls.crt'), privateKeyFile: file('tls.key') });
    const tls = config.sslProfiles[0]!.tls;
    expect(tls).toEqual({ ca, cert, key: plainKey });
    expect(() => createSecureContext(tls)).not.toThrow();
  });

  it('a CA alone is enough for a client profile', () => {
    expect(load({ caCertFile: file('ca.pem') }).sslProfiles[0]!.tls).toEqual({ ca });
  });

  it('resolves env:, file:, literal: and pass: passwords, and a plain one', () => {
    process.env.SKIFF_TEST_KEY_PASSWORD = 's3cret';
    const forms = ['env:SKIFF_TEST_KEY_PASSWORD', `file:${file('password.txt')}`, 'literal:s3cret', 'pass:s3cret', 's3cret'];
    for (const password of forms) {
      const tls = load({ certFile: file('locked.crt'), privateKeyFile: file('locked.key'), password }).sslProfiles[0]!.tls;
      expect(tls.passphrase).toBe('s3cret');
      expect(() => createSecureContext(tls)).not.toThrow();
    }
  });

  it('protocols become the TLS version range; ciphers pass through', () => {
    const tls = load({ caCertFile: file('ca.pem'), protocols: 'TLSv1.3 TLSv1.2', ciphers: 'HIGH' }).sslProfiles[0]!.tls;
    expect(tls).toMatchObject({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: 'HIGH' });
  });

  it('listeners may name a profile defined later in the file', () => {
    const config = buildRouterConfig(
      [['listener', { name: 'amqps', port: 5671, sslProfile: 'p' }], ['sslProfile', { name: 'p', caCertFile: file('ca.pem') }]],
      'r.json',
    );
    expect(config.listeners[0]?.sslProfile).toBe('p');
  });
});

describe('config tls - broken sslProfiles name the file and the fix', () => {
  it('a certificate or key file that does not exist', () => {
    expect(messageOf({ certFile: file('missing.crt'), privateKeyFile: file('tls.key') })).toBe(
      `r.json: sslProfile 'p' (entry 1): cannot read certFile ${file('missing.crt')} (no such file)\n  fix certFile or create the file`,
    );
    expect(messageOf({ certFile: file('tls.crt'), privateKeyFile: file('missing.key') })).toContain(`cannot read privateKeyFile ${file('missing.key')} (no such file)`);
    expect(messageOf({ caCertFile: file('missing-ca.pem') })).toContain(`cannot read caCertFile ${file('missing-ca.pem')}`);
  });

  it('a file that holds no certificate', () => {
    expect(messageOf({ caCertFile: file('garbage.pem') })).toContain(`caCertFile ${file('garbage.pem')} holds no PEM certificate`);
  });

  it('a wrong private-key password', () => {
    expect(messageOf({ certFile: file('locked.crt'), privateKeyFile: file('locked.key'), password: 'literal:wrong' })).toBe(
      `r.json: sslProfile 'p' (entry 1): the password does not decrypt private key ${file('locked.key')}\n  check the password attribute`,
    );
  });

  it('an encrypted key without a password', () => {
    expect(messageOf({ certFile: file('locked.crt'), privateKeyFile: file('locked.key') })).toContain(
      `private key ${file('locked.key')} is encrypted and no password is set`,
    );
  });

  it('a password in an unset environment variable or a missing file', () => {
    delete process.env.SKIFF_TEST_UNSET;
    expect(messageOf({ certFile: file('locked.crt'), privateKeyFile: file('locked.key'), password: 'env:SKIFF_TEST_UNSET' })).toContain(
      'password names environment variable SKIFF_TEST_UNSET, which is not set',
    );
    expect(messageOf({ certFile: file('locked.crt'), privateKeyFile: file('locked.key'), password: `file:${file('nope.txt')}` })).toContain(
      `cannot read the password file ${file('nope.txt')} (no such file)`,
    );
  });

  it('a certificate without its key, or a key without its certificate', () => {
    expect(messageOf({ certFile: file('tls.crt') })).toContain('certFile is set but privateKeyFile is not');
    expect(messageOf({ privateKeyFile: file('tls.key') })).toContain('privateKeyFile is set but certFile is not');
  });

  it('an unknown protocol version and a profile without a name', () => {
    expect(messageOf({ caCertFile: file('ca.pem'), protocols: 'SSLv3' })).toContain('protocols names SSLv3');
    expect(() => buildRouterConfig([['sslProfile', { caCertFile: file('ca.pem') }]], 'r.json')).toThrow("required attribute 'name' is missing");
  });
});

describe('config tls - a site config in the shape Skupper generates', () => {
  it('loads with its sslProfiles, http listener, inter-router and edge listeners, links and bridges', () => {
    const profile = { certFile: file('tls.crt'), privateKeyFile: file('tls.key'), caCertFile: file('ca.pem') };
    const config = buildRouterConfig(
      [
        ['router', { id: 'west-skupper-router-6f9c', mode: 'interior', helloMaxAgeSeconds: '3', dataConnectionCount: '4', dropTcpConnections: 'true',
          metadata: '{"id":"4f0b","version":"1.9.6","platform":"kubernetes"}' }],
        ['address', { prefix: 'mc', distribution: 'multicast' }],
        ['listener', { name: '@9090', port: 9090, role: 'normal', http: true, httpRootDir: 'disabled', healthz: true, metrics: true }],
        ['listener', { name: 'amqp', host: 'localhost', port: 5672 }],
        ['sslProfile', { name: 'skupper-amqps', ...profile }],
        ['listener', { name: 'amqps', port: 5671, sslProfile: 'skupper-amqps', saslMechanisms: 'EXTERNAL', authenticatePeer: true }],
        ['sslProfile', { name: 'skupper-internal', ...profile }],
        ['listener', { name: 'interior-listener', role: 'inter-router', port: 55671, sslProfile: 'skupper-internal', saslMechanisms: 'EXTERNAL',
          authenticatePeer: true, maxFrameSize: 16384, maxSessionFrames: 640 }],
        ['listener', { name: 'edge-listener', role: 'edge', port: 45671, sslProfile: 'skupper-internal', saslMechanisms: 'EXTERNAL', authenticatePeer: true }],
        ['log', { module: 'ROUTER_CORE', enable: 'error+' }],
        ['sslProfile', { name: 'east-profile', ...profile }],
        ['connector', { name: 'east', role: 'inter-router', host: 'east.example.com', port: '55671', cost: 1, sslProfile: 'east-profile',
          maxFrameSize: 16384, maxSessionFrames: 640 }],
        ['tcpListener', { name: 'backend:8080', host: '0.0.0.0', port: '1024', address: 'backend:8080', siteId: '4f0b' }],
        ['tcpConnector', { name: 'backend@10.0.0.7', host: '10.0.0.7', port: '8080', address: 'backend:8080', siteId: '4f0b' }],
      ],
      'skrouterd.json',
    );
    expect(config.warnings).toEqual([]);
    expect(config.router).toMatchObject({ mode: 'interior', dataConnectionCount: 4, dropTcpConnections: true });
    expect(config.listeners.map((l) => [l.name, l.port, l.role, l.http])).toEqual([
      ['@9090', 9090, 'normal', true], ['amqp', 5672, 'normal', false], ['amqps', 5671, 'normal', false],
      ['interior-listener', 55671, 'inter-router', false], ['edge-listener', 45671, 'edge', false],
    ]);
    expect(config.sslProfiles.map((p) => p.name)).toEqual(['skupper-amqps', 'skupper-internal', 'east-profile']);
    expect(config.connectors[0]).toMatchObject({ host: 'east.example.com', port: 55671, sslProfile: 'east-profile' });
    expect(config.tcpConnectors[0]).toMatchObject({ name: 'backend@10.0.0.7', port: 8080 });
  });
});
