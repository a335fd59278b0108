import type { SecureContextOptions } from 'node:tls';
import type { TlsMaterial } from '../config/settings.js';

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
