/**
 * Loads what an sslProfile points at — CA, certificate, private key, password — so that a bad
 * profile fails when it is configured, naming the file, rather than at the first TLS handshake.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import type { AttributeMap } from './coerce.js';
import type { TlsMaterial, TlsVersion } from './settings.js';

const TLS_VERSIONS: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

function problem(entity: string, attribute: string, text: string, hint: string): ConfigError {
  return new ConfigError(`${entity}: ${text}\n  ${hint}`, { entity, attribute });
}

/**
 * Resolves a password as skupper-router does: `env:VAR` reads an environment variable, `file:PATH`
 * a file (its first line), `literal:` and `pass:` strip the prefix; anything else is the password.
 */
export function resolvePassword(password: string, entity: string): string {
  if (password.startsWith('env:')) {
    const name = password.slice(4).trimStart();
    const value = process.env[name];
    if (value === undefined) {
      throw problem(entity, 'password', `password names environment variable ${name}, which is not set`, `set ${name} or change the password`);
    }
    return value;
  }
  if (password.startsWith('file:')) {
    const path = password.slice(5);
    const text = readText(path, entity, 'password', 'the password file');
    return text.split(/\r?\n/)[0] ?? '';
  }
  if (password.startsWith('literal:')) return password.slice(8);
  if (password.startsWith('pass:')) return password.slice(5);
  return password;
}

function readText(path: string, entity: string, attribute: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw problem(entity, attribute, `cannot read ${what} ${path} (${reason})`, `fix ${attribute} or create the file`);
  }
}

function checkCertificates(pem: string, path: string, entity: string, attribute: string): void {
  try {
    new X509Certificate(pem);
  } catch {
    throw problem(entity, attribute, `${attribute} ${path} holds no PEM certificate`, 'expected a file with "-----BEGIN CERTIFICATE-----"');
  }
}

function checkKey(pem: string, path: string, passphrase: string | undefined, entity: string): void {
  try {
    createPrivateKey(passphrase === undefined ? { key: pem, format: 'pem' } : { key: pem, format: 'pem', passphrase });
  } catch (error) {
    const encrypted = pem.includes('ENCRYPTED');
    if (encrypted && passphrase === undefined) {
      throw problem(entity, 'privateKeyFile', `private key ${path} is encrypted and no password is set`, 'set password (env:VAR, file:PATH or literal:TEXT)');
    }
    if (encrypted) {
      throw problem(entity, 'password', `the password does not decrypt private key ${path}`, 'check the password attribute');
    }
    throw problem(entity, 'privateKeyFile', `private key ${path} cannot be read: ${(error as Error).message}`, 'expected a PEM private key');
  }
}

/** Parses `protocols` ("TLSv1.2 TLSv1.3") into the range Node's TLS options take. */
function versionRange(protocols: string, entity: string): Pick<TlsMaterial, 'minVersion' | 'maxVersion'> {
  const wanted = protocols.split(/[\s,]+/).filter((p) => p !== '');
  const indexes = wanted.map((p) => {
    const at = TLS_VERSIONS.indexOf(p as TlsVersion);
    if (at < 0) throw problem(entity, 'protocols', `protocols names ${p}`, `expected a space-separated list of ${TLS_VERSIONS.join(', ')}`);
    return at;
  });
  if (indexes.length === 0) return {};
  return { minVersion: TLS_VERSIONS[Math.min(...indexes)]!, maxVersion: TLS_VERSIONS[Math.max(...indexes)]! };
}

/** Reads and checks the files of an sslProfile's (validated) attributes. */
export function loadTlsMaterial(attributes: AttributeMap, entity: string): TlsMaterial {
  const text = (name: string): string | undefined => {
    const v = attributes[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const tls: TlsMaterial = {};
  const caFile = text('caCertFile');
  const certFile = text('certFile');
  const keyFile = text('privateKeyFile');
  const password = text('password');
  if (caFile !== undefined) {
    tls.ca = readText(caFile, entity, 'caCertFile', 'caCertFile');
    checkCertificates(tls.ca, caFile, entity, 'caCertFile');
  }
  if (certFile !== undefined) {
    if (keyFile === undefined) throw problem(entity, 'privateKeyFile', 'certFile is set but privateKeyFile is not', 'set privateKeyFile to the key of the certificate');
    tls.cert = readText(certFile, entity, 'certFile', 'certFile');
    checkCertificates(tls.cert, certFile, entity, 'certFile');
  }
  if (keyFile !== undefined) {
    if (certFile === undefined) throw problem(entity, 'certFile', 'privateKeyFile is set but certFile is not', 'set certFile to the certificate of the key');
    tls.key = readText(keyFile, entity, 'privateKeyFile', 'privateKeyFile');
    const passphrase = password === undefined ? undefined : resolvePassword(password, entity);
    checkKey(tls.key, keyFile, passphrase, entity);
    if (passphrase !== undefined) tls.passphrase = passphrase;
  }
  const ciphers = text('ciphers');
  if (ciphers !== undefined) tls.ciphers = ciphers;
  const protocols = text('protocols');
  if (protocols !== undefined) Object.assign(tls, versionRange(protocols, entity));
  return tls;
}
