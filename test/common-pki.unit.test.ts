import { X509Certificate, createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCa, issueCertificate } from '../common/src/pki.js';

describe('pki - certificates for sites and tests', () => {
  const ca = createCa('skiff-test-ca');

  it('issues a server certificate that chains to its CA and names its hosts', () => {
    const server = issueCertificate(ca, { commonName: 'router', hosts: ['localhost', '127.0.0.1'], usage: 'server' });
    const x509 = new X509Certificate(server.cert);
    expect(x509.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    // An IP is a DNS name too, so skupper-router, which matches DNS names only, accepts it dialled as 127.0.0.1.
    expect(x509.subjectAltName).toContain('DNS:127.0.0.1');
    expect(x509.checkIssued(new X509Certificate(ca.cert))).toBe(true);
  });

  it('encrypts the private key when a password is given, and only that password opens it', () => {
    const client = issueCertificate(ca, { commonName: 'client', password: 'sesame' });
    expect(client.key).toContain('ENCRYPTED PRIVATE KEY');
    expect(() => createPrivateKey({ key: client.key, passphrase: 'sesame' })).not.toThrow();
    expect(() => createPrivateKey({ key: client.key, passphrase: 'wrong' })).toThrow();
  });

  it('does not verify against another CA', () => {
    const other = createCa('other-ca');
    const cert = new X509Certificate(issueCertificate(ca, { commonName: 'x' }).cert);
    expect(cert.verify(new X509Certificate(other.cert).publicKey)).toBe(false);
  });

  describe('serial numbers', () => {
    afterEach(() => vi.restoreAllMocks());

    it('stay well-formed DER when the random bytes start with zeros (OpenSSL refused such certificates as illegal padding)', () => {
      vi.spyOn(forge.random, 'getBytesSync').mockImplementation((count: number) => '\x00\x00\x01'.padEnd(count, '\x01'));
      for (const pem of [createCa('zero-serial-ca').cert, issueCertificate(ca, { commonName: 'zero-serial' }).cert]) {
        expect(new X509Certificate(pem).serialNumber).toMatch(/^[0-9A-F]{32}$/);
      }
    });
  });
});
