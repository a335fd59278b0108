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
