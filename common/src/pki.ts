/**
 * Certificates for sites, links and tests, made with node-forge: a CA, then server and client
 * certificates it signs. Skupper's layout (a site CA; a server certificate whose SANs are the
 * ingress hosts; client certificates for links) is built from these pieces.
 */
import forge from 'node-forge';

export interface KeyPairPem {
  /** PEM certificate. */
  cert: string;
  /** PEM private key (PKCS#8, or encrypted PKCS#8 when a password was given). */
  key: string;
}

export interface CertificateAuthority extends KeyPairPem {
  subject: string;
}

export interface IssueOptions {
  /** Common name of the subject. */
  commonName: string;
  /** DNS names and IP addresses for the subjectAltName extension. */
  hosts?: readonly string[];
  /** serverAuth, clientAuth or both (default both). */
  usage?: 'server' | 'client' | 'both';
  /** Validity start and end; default: one hour ago until five years on. */
  notBefore?: Date;
  notAfter?: Date;
  /** Encrypt the private key with this password. */
  password?: string;
}

const RSA_BITS = 2048;
const FIVE_YEARS_MS = 5 * 365 * 24 * 3600 * 1000;

function keyPair(): forge.pki.rsa.KeyPair {
  // node-forge hands RSA generation to Node's native crypto when it is present.
  return forge.pki.rsa.generateKeyPair({ bits: RSA_BITS, e: 0x10001 });
}

function serial(): string {
  // A 16-byte serial whose first byte is 0x40-0x7f: positive, and never led by a zero byte. node-forge
  // strips one leading zero only, so a serial starting 00 00 0x-7x came out as DER padding that
  // OpenSSL refuses ("illegal padding"): about one certificate in 8,192 could not be loaded.
  const bytes = forge.random.getBytesSync(16);
  const first = (bytes.charCodeAt(0) & 0x3f) | 0x40;
  return forge.util.bytesToHex(String.fromCharCode(first) + bytes.slice(1));
}

function validity(cert: forge.pki.Certificate, options: { notBefore?: Date; notAfter?: Date }): void {
  const now = Date.now();
  cert.validity.notBefore = options.notBefore ?? new Date(now - 3600 * 1000);
  cert.validity.notAfter = options.notAfter ?? new Date(now + FIVE_YEARS_MS);
}

function keyPem(privateKey: forge.pki.PrivateKey, password: string | undefined): string {
  const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(privateKey));
  if (password === undefined) return forge.pki.privateKeyInfoToPem(info);
  const encrypted = forge.pki.encryptPrivateKeyInfo(info, password, { algorithm: 'aes256' });
  return forge.pki.encryptedPrivateKeyToPem(encrypted);
}

/** Creates a self-signed CA. */
export function createCa(commonName: string, options: { notBefore?: Date; notAfter?: Date } = {}): CertificateAuthority {
  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  validity(cert, options);
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem(keys.privateKey, undefined), subject: commonName };
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Issues a certificate signed by `ca`. */
export function issueCertificate(ca: KeyPairPem, options: IssueOptions): KeyPairPem {
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const caKey = forge.pki.privateKeyFromPem(ca.key);
  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  validity(cert, options);
  cert.setSubject([{ name: 'commonName', value: options.commonName }]);
  cert.setIssuer(caCert.subject.attributes);
  const usage = options.usage ?? 'both';
  const hosts = options.hosts ?? [];
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: usage !== 'client', clientAuth: usage !== 'server' },
  ];
  if (hosts.length > 0) {
    extensions.push({
      name: 'subjectAltName',
      // An IP is listed as an IP address and as a DNS name, as Skupper does: skupper-router (Proton)
      // matches a dialled address against DNS names and the common name only.
      altNames: hosts.flatMap((h) => (IPV4.test(h) ? [{ type: 7, ip: h }, { type: 2, value: h }] : [{ type: 2, value: h }])),
    });
  }
  cert.setExtensions(extensions);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keyPem(keys.privateKey, options.password) };
}
