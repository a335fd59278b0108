import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, issueCertificate, type CertificateAuthority } from '../../common/src/pki.js';

export interface TlsFiles {
  caCertFile: string;
  certFile: string;
  privateKeyFile: string;
}

/** A CA in a temp dir that issues certificate files for routers and clients. */
export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'skiff-pki-'));
  readonly ca: CertificateAuthority;
  readonly caCertFile: string;

  constructor(readonly name = 'skiff-test-ca') {
    this.ca = createCa(name);
    this.caCertFile = join(this.dir, `${name}.crt`);
    writeFileSync(this.caCertFile, this.ca.cert);
  }

  /** Removes the files (call from afterAll). */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Writes a key pair for `commonName` (valid for 127.0.0.1 and localhost). */
  issue(commonName: string, options: { password?: string } = {}): TlsFiles {
    const pair = issueCertificate(this.ca, {
      commonName,
      hosts: ['127.0.0.1', 'localhost'],
      ...(options.password === undefined ? {} : { password: options.password }),
    });
    const certFile = join(this.dir, `${commonName}.crt`);
    const privateKeyFile = join(this.dir, `${commonName}.key`);
    writeFileSync(certFile, pair.cert);
    writeFileSync(privateKeyFile, pair.key);
    return { caCertFile: this.caCertFile, certFile, privateKeyFile };
  }
}
