/**
 * Server certificates that tell host name checks apart, and what skupper-router (e2ec51a4, Proton
 * caf0f45c) did with each when its tcpConnector (verifyHostname on) dialled 127.0.0.1 and
 * localhost: it matches DNS names, then the common name, never IP address entries.
 */
import forge from 'node-forge';
import { randomBytes } from 'node:crypto';
import type { KeyPairPem } from '../../common/src/pki.js';

type AltName = { ip: string } | { dns: string };

export interface PeerNameCase {
  name: string;
  commonName: string;
  altNames: AltName[];
  /** Whether skrouterd's check let the connection through, dialling each host. */
  skrouterdAccepts: { '127.0.0.1': boolean; localhost: boolean };
}

export const PEER_NAME_HOSTS = ['127.0.0.1', 'localhost'] as const;

export const PEER_NAME_CASES: readonly PeerNameCase[] = [
  { name: 'ip-address-entry', commonName: 'server', altNames: [{ ip: '127.0.0.1' }, { dns: 'localhost' }], skrouterdAccepts: { '127.0.0.1': false, localhost: true } },
  { name: 'common-name-ip', commonName: '127.0.0.1', altNames: [], skrouterdAccepts: { '127.0.0.1': true, localhost: false } },
  { name: 'dns-name-ip', commonName: 'server', altNames: [{ dns: '127.0.0.1' }], skrouterdAccepts: { '127.0.0.1': true, localhost: false } },
  { name: 'common-name-besides-dns', commonName: '127.0.0.1', altNames: [{ dns: 'localhost' }], skrouterdAccepts: { '127.0.0.1': true, localhost: true } },
  { name: 'wildcard-first-label', commonName: 'server', altNames: [{ dns: '*.0.0.1' }], skrouterdAccepts: { '127.0.0.1': true, localhost: false } },
  { name: 'wildcard-middle-label', commonName: 'server', altNames: [{ dns: '127.*.0.1' }], skrouterdAccepts: { '127.0.0.1': true, localhost: false } },
  { name: 'wildcard-in-label', commonName: 'server', altNames: [{ dns: '12*.0.0.1' }], skrouterdAccepts: { '127.0.0.1': true, localhost: false } },
  { name: 'upper-case', commonName: 'server', altNames: [{ dns: 'LOCALHOST' }], skrouterdAccepts: { '127.0.0.1': false, localhost: true } },
  { name: 'wildcard-other-domain', commonName: 'server', altNames: [{ dns: '*.localdomain' }], skrouterdAccepts: { '127.0.0.1': false, localhost: false } },
];

/** A certificate for `c` signed by `ca`, with exactly its subjectAltName entries. */
export function issuePeerNameCert(ca: KeyPairPem, c: PeerNameCase): KeyPairPem {
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `4${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: c.commonName }]);
  cert.setIssuer(caCert.subject.attributes);
  const extensions: object[] = [{ name: 'extKeyUsage', serverAuth: true }];
  const altNames = c.altNames.map((a) => ('ip' in a ? { type: 7, ip: a.ip } : { type: 2, value: a.dns }));
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(extensions);
  cert.sign(forge.pki.privateKeyFromPem(ca.key), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}
