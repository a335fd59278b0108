/**
 * The site's Secrets (reference §3, ADR 0004): `skupper-site-ca`, made once and kept while it exists
 * (it signs every link credential handed out), and `skupper-site-server`, signed by it, whose SANs
 * are the hosts other sites dial. The server cert records its host set in an annotation and is
 * reissued only when that set changes.
 */
import { X509Certificate } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import { DefaultRouterAccess, RouterName, SiteCaSecret, SiteServerSecret } from '../../../common/src/kube-api/names.js';
import type { RouterAccess, Site } from '../../../common/src/kube-api/types.js';
import { createCa, issueCertificate, type KeyPairPem } from '../../../common/src/pki.js';
import { ownedMeta } from './object-meta.js';

export const HostsAnnotation = 'skupper.io/hosts';

/** Every resolved host of the default RouterAccess plus the in-cluster names, sorted and unique. */
export function serverHosts(namespace: string, defaultAccess: RouterAccess | undefined): string[] {
  const resolved = (defaultAccess?.metadata.name === DefaultRouterAccess ? defaultAccess.status?.endpoints ?? [] : [])
    .map((e) => e.host ?? '')
    .filter((h) => h !== '');
  const local = [RouterName, `${RouterName}.${namespace}`, `${RouterName}.${namespace}.svc.cluster.local`];
  return [...new Set([...resolved, ...local])].sort();
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function tlsSecret(site: Site, name: string, pair: KeyPairPem, caCert: string, annotations: Record<string, string>): V1Secret {
  const metadata = ownedMeta(name, site.metadata.namespace ?? '', site.metadata.name, site);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { ...metadata, annotations },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(pair.cert), 'tls.key': b64(pair.key), 'ca.crt': b64(caCert) },
  };
}

export function siteCaSecret(site: Site): V1Secret {
  const ca = createCa(SiteCaSecret);
  return tlsSecret(site, SiteCaSecret, ca, ca.cert, {});
}

/** The CA held in a Secret, or undefined when it lacks a certificate or key. */
export function caFromSecret(secret: V1Secret | undefined): KeyPairPem | undefined {
  const cert = secret?.data?.['tls.crt'];
  const key = secret?.data?.['tls.key'];
  if (cert === undefined || key === undefined) return undefined;
  return { cert: Buffer.from(cert, 'base64').toString('utf8'), key: Buffer.from(key, 'base64').toString('utf8') };
}

export function siteServerSecret(site: Site, ca: KeyPairPem, hosts: readonly string[]): V1Secret {
  const pair = issueCertificate(ca, { commonName: RouterName, hosts, usage: 'both' });
  return tlsSecret(site, SiteServerSecret, pair, ca.cert, { [HostsAnnotation]: hosts.join(',') });
}

/**
 * True when the server Secret exists, was issued for exactly `hosts`, and lists each as a DNS name
 * (earlier certificates listed an IP as an IP address only, which skupper-router cannot match).
 */
export function serverSecretCurrent(secret: V1Secret | undefined, hosts: readonly string[]): boolean {
  const cert = secret?.data?.['tls.crt'];
  if (cert === undefined || secret?.metadata?.annotations?.[HostsAnnotation] !== hosts.join(',')) return false;
  const dnsNames = new X509Certificate(Buffer.from(cert, 'base64')).subjectAltName?.split(', ') ?? [];
  return hosts.every((h) => dnsNames.includes(`DNS:${h}`));
}
