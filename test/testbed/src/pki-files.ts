/**
 * Certificates for one cluster, made with the openssl CLI: it can put an Organization in a
 * client certificate's subject, which Kubernetes reads as a group (system:masters for the admin),
 * and it makes EC P-256 keys in milliseconds.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.js';

export interface CertFiles {
  cert: string;
  key: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export async function makeCa(dir: string, commonName: string): Promise<CertFiles> {
  await mkdir(dir, { recursive: true });
  const files = { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') };
  await run('openssl', [
    'req', '-x509', ...EC, '-keyout', files.key, '-out', files.cert, '-days', '3650', '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  return files;
}

export interface IssueRequest {
  commonName: string;
  /** Becomes the subject's O, which the API server reads as the user's group. */
  organization?: string;
  /** IP addresses and DNS names of a serving certificate. */
  hosts?: readonly string[];
  usage: 'server' | 'client';
}

export async function issue(ca: CertFiles, dir: string, name: string, request: IssueRequest): Promise<CertFiles> {
  await mkdir(dir, { recursive: true });
  const files = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  const subject = (request.organization ? `/O=${request.organization}` : '') + `/CN=${request.commonName}`;
  await run('openssl', ['req', '-new', ...EC, '-keyout', files.key, '-out', csr, '-subj', subject]);
  const lines = [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${request.usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
  ];
  if (request.hosts?.length) {
    const sans = request.hosts.map((h) => (/^[\d.]+$/.test(h) ? `IP:${h}` : `DNS:${h}`));
    lines.push(`subjectAltName=${sans.join(',')}`);
  }
  await writeFile(ext, lines.join('\n') + '\n');
  await run('openssl', [
    'x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', `0x${randomBytes(12).toString('hex')}`,
    '-days', '3650', '-out', files.cert, '-extfile', ext,
  ]);
  return files;
}

/** The key pair that signs and verifies service-account tokens. */
export async function makeServiceAccountKeys(dir: string): Promise<{ privateKey: string; publicKey: string }> {
  const privateKey = join(dir, 'sa.key');
  const publicKey = join(dir, 'sa.pub');
  await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', privateKey]);
  await run('openssl', ['pkey', '-in', privateKey, '-pubout', '-out', publicKey]);
  return { privateKey, publicKey };
}
