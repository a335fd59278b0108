import type { ConnectionOptions, SecureContextOptions } from 'node:tls';
import type { TlsMaterial } from '../config/settings.js';
import { checkPeerName } from './peer-name.js';

/** TLS 1.2 is the oldest version any Skiff endpoint speaks, whatever a profile allows. */
export const MIN_TLS_VERSION = 'TLSv1.2';

export function secureContextOptions(material: TlsMaterial): SecureContextOptions {
  const options: SecureContextOptions = { minVersion: MIN_TLS_VERSION };
  if (material.minVersion === 'TLSv1.3') options.minVersion = 'TLSv1.3';
  if (material.maxVersion !== undefined) options.maxVersion = material.maxVersion;
  if (material.ciphers !== undefined) options.ciphers = material.ciphers;
  if (material.ca !== undefined) options.ca = material.ca;
  if (material.cert !== undefined) options.cert = material.cert;
  if (material.key !== undefined) options.key = material.key;
  if (material.passphrase !== undefined) options.passphrase = material.passphrase;
  return options;
}

/**
 * Options for a TLS client (inter-router connectors, tcpConnectors): the chain must lead to the
 * profile's CA; the name is checked as skupper-router checks it (peer-name.ts) unless `verifyHostname`
 * is off. SNI only for names, not IPs.
 */
export function clientTlsOptions(host: string, port: number, verifyHostname: boolean, material: TlsMaterial): ConnectionOptions {
  const options: ConnectionOptions = { ...secureContextOptions(material), host, port, rejectUnauthorized: true };
  if (!isIp(host)) options.servername = host;
  options.checkServerIdentity = verifyHostname ? (_servername, cert) => checkPeerName(host, cert) : () => undefined;
  return options;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
