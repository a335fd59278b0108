/**
 * A site's certificates in Skupper's layout: a site CA (`site-ca`) that signs both the server
 * certificate of the inter-router and edge listeners (`site-server`, SANs = the ingress host) and the
 * client certificates handed out in tokens. Each set is a directory of `tls.crt`, `tls.key` and
 * `ca.crt`, the shape of a Kubernetes TLS secret mounted into the router.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCa, issueCertificate, type KeyPairPem } from '../../../common/src/pki.js';
import { writeFileAtomic } from '../../../common/src/atomic-file.js';
import type { SitePaths } from './site-paths.js';

export const SITE_CA = 'site-ca';
export const SITE_SERVER = 'site-server';

export interface TlsFiles {
  certFile: string;
  privateKeyFile: string;
  caCertFile: string;
}

export function tlsFiles(dir: string): TlsFiles {
  return { certFile: join(dir, 'tls.crt'), privateKeyFile: join(dir, 'tls.key'), caCertFile: join(dir, 'ca.crt') };
}

/** Writes a key pair and the CA that vouches for its peers; the key is readable by the owner only. */
export function writeTlsDir(dir: string, pair: KeyPairPem, caCert: string): TlsFiles {
  const files = tlsFiles(dir);
  writeFileAtomic(files.certFile, pair.cert);
  writeFileAtomic(files.privateKeyFile, pair.key, 0o600);
  writeFileAtomic(files.caCertFile, caCert);
  return files;
}

/** Creates the site CA and, when the site has ingress, the server certificate for that host. */
export function createSiteCertificates(paths: SitePaths, ingressHost: string | null): void {
  const ca = createCa(SITE_CA);
  writeTlsDir(paths.certs(SITE_CA), ca, ca.cert);
  if (ingressHost === null) return;
  // localhost is named too when the ingress is loopback, so either spelling verifies.
  const hosts = ingressHost === '127.0.0.1' ? ['127.0.0.1', 'localhost'] : [ingressHost];
  writeTlsDir(paths.certs(SITE_SERVER), issueCertificate(ca, { commonName: ingressHost, hosts, usage: 'both' }), ca.cert);
}

/** Issues a client certificate for a token, signed by this site's CA. */
export function issueLinkCredentials(paths: SitePaths, commonName: string): { pair: KeyPairPem; caCert: string } {
  const ca = siteCa(paths);
  return { pair: issueCertificate(ca, { commonName, usage: 'client' }), caCert: ca.cert };
}

/** The site CA's certificate and key. */
export function siteCa(paths: SitePaths): KeyPairPem {
  const files = tlsFiles(paths.certs(SITE_CA));
  return { cert: readFileSync(files.certFile, 'utf8'), key: readFileSync(files.privateKeyFile, 'utf8') };
}
