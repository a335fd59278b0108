import { X509Certificate } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { caFromSecret, HostsAnnotation, serverHosts, serverSecretCurrent, siteCaSecret, siteServerSecret } from '../../site-controller/src/desired/site-certs.js';
import { access, site } from './desired-fixtures.js';

function pem(data: Record<string, string> | undefined, key: string): string {
  return Buffer.from(data?.[key] ?? '', 'base64').toString('utf8');
}

describe('desired site certs', () => {
  test('server hosts - resolved hosts of the default RouterAccess plus the in-cluster names, sorted and unique', () => {
    const resolved = access('loadbalancer');
    resolved.status = { endpoints: [{ name: 'inter-router', host: '172.30.1.100' }, { name: 'edge', host: '172.30.1.100' }, { name: 'grant', host: '172.30.1.100' }] };
    expect(serverHosts('west-ns', resolved)).toEqual(['172.30.1.100', 'skupper-router', 'skupper-router.west-ns', 'skupper-router.west-ns.svc.cluster.local']);
    expect(serverHosts('west-ns', undefined)).toEqual(['skupper-router', 'skupper-router.west-ns', 'skupper-router.west-ns.svc.cluster.local']);
    const other = { ...resolved, metadata: { ...resolved.metadata, name: 'extra' } };
    expect(serverHosts('west-ns', other)).toHaveLength(3);
  });

  test('site certs - the CA Secret holds a CA, and the server cert it signs names every host as a SAN', () => {
    const caSecret = siteCaSecret(site());
    expect(caSecret.metadata?.name).toBe('skupper-site-ca');
    expect(caSecret.type).toBe('kubernetes.io/tls');
    const ca = caFromSecret(caSecret);
    expect(ca).toBeDefined();
    if (ca === undefined) return;
    expect(new X509Certificate(ca.cert).ca).toBe(true);
    const hosts = ['172.30.1.100', 'skupper-router', 'skupper-router.west-ns', 'skupper-router.west-ns.svc.cluster.local'];
    const server = siteServerSecret(site(), ca, hosts);
    expect(server.metadata?.name).toBe('skupper-site-server');
    expect(server.metadata?.annotations?.[HostsAnnotation]).toBe(hosts.join(','));
    const cert = new X509Certificate(pem(server.data, 'tls.crt'));
    expect(cert.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe('IP Address:172.30.1.100, DNS:172.30.1.100, DNS:skupper-router, DNS:skupper-router.west-ns, DNS:skupper-router.west-ns.svc.cluster.local');
    expect(pem(server.data, 'ca.crt')).toBe(ca.cert);
    expect(server.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Site', name: 'west' });
  });

  test('site certs - the server cert is current only for the same host set', () => {
    const ca = caFromSecret(siteCaSecret(site()));
    if (ca === undefined) throw new Error('no CA');
    const server = siteServerSecret(site(), ca, ['a', 'b']);
    expect(serverSecretCurrent(server, ['a', 'b'])).toBe(true);
    expect(serverSecretCurrent(server, ['a', 'b', 'c'])).toBe(false);
    expect(serverSecretCurrent(undefined, ['a', 'b'])).toBe(false);
    // A certificate that does not list a host as a DNS name (earlier ones had an IP as an IP address only) is reissued.
    const ipOnly = siteServerSecret(site(), ca, ['a']);
    ipOnly.metadata!.annotations![HostsAnnotation] = 'a,10.0.0.1';
    expect(serverSecretCurrent(ipOnly, ['a', '10.0.0.1'])).toBe(false);
  });

  test('site certs - a Secret without a key is no CA', () => {
    expect(caFromSecret({ data: { 'tls.crt': 'eA==' } })).toBeUndefined();
    expect(caFromSecret(undefined)).toBeUndefined();
  });
});
