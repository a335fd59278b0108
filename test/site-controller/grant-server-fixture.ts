/**
 * A Kubernetes site as the grant server sees it, on the test bed's real apiserver: Skiff's CRDs, a
 * namespace with the site CA and server Secrets, a Site whose status carries endpoints, and the
 * grant server running in this process on 127.0.0.1. What the controller would make is made here
 * directly, so the grant server is tested alone.
 */
import { join } from 'node:path';
import { createCa, issueCertificate, type CertificateAuthority } from '../../common/src/pki.js';
import { TokenError } from '../../common/src/tokens/errors.js';
import { redeemAccessToken } from '../../common/src/tokens/redeem.js';
import { startGrantServer, type GrantServer } from '../../site-controller/src/adaptor/grant-server.js';
import { SiteCaSecret, SiteServerSecret } from '../../common/src/kube-api/names.js';
import type { AccessGrantSpec, AccessGrantStatus, Endpoint } from '../../common/src/kube-api/types.js';
import { REPO_ROOT } from '../support/router-process.js';
import { apply, getJson, kubectl, waitFor } from '../testbed/helpers.js';
import { freePort } from '../testbed/src/free-port.js';
import type { Cluster } from '../testbed/src/testbed.js';

export const SITE = 'west';
export const ENDPOINTS: Endpoint[] = [
  { name: 'inter-router', host: '172.30.1.100', port: '55671', group: 'skupper-router' },
  { name: 'edge', host: '172.30.1.100', port: '45671', group: 'skupper-router' },
];

export interface GrantSite {
  namespace: string;
  siteUid: string;
  ca: CertificateAuthority;
  server: GrantServer;
  port: number;
  log: string[];
  /** Creates an AccessGrant with this status (as the AccessGrant reconciler would set it); returns its uid. */
  grant(name: string, spec: AccessGrantSpec, status: AccessGrantStatus): Promise<string>;
  url(uid: string): string;
  /** Sets the Site's status.endpoints. */
  siteEndpoints(endpoints: Endpoint[]): Promise<void>;
  /** Replaces the server certificate Secret with one signed by `ca`. */
  serverCertificate(ca: CertificateAuthority): Promise<void>;
  stop(): Promise<void>;
}

export async function startGrantSite(cluster: Cluster, namespace: string): Promise<GrantSite> {
  const config = cluster.kubeconfig;
  await must(kubectl(config, ['apply', '-f', join(REPO_ROOT, 'charts/skiff/crds')]));
  await must(kubectl(config, ['wait', '--for=condition=Established', '--timeout=30s', 'crd/accessgrants.skupper.io', 'crd/sites.skupper.io']));
  await must(kubectl(config, ['create', 'namespace', namespace]));
  const ca = createCa(SiteCaSecret);
  await apply(config, [tlsSecret(SiteCaSecret, ca.cert, ca.key, ca.cert)], namespace);
  /** The CA that signed the certificate the server serves now. */
  let serving = ca;
  const siteServer = async (signer: CertificateAuthority): Promise<void> => {
    serving = signer;
    const pair = issueCertificate(signer, { commonName: 'skupper-router', hosts: ['skupper-router', `skupper-router.${namespace}`, '127.0.0.1'], usage: 'server' });
    await apply(config, [tlsSecret(SiteServerSecret, pair.cert, pair.key, signer.cert)], namespace);
  };
  await siteServer(ca);
  await apply(config, [{ apiVersion: 'skupper.io/v2alpha1', kind: 'Site', metadata: { name: SITE }, spec: { linkAccess: 'default' } }], namespace);
  await patchStatus(config, namespace, `site/${SITE}`, { endpoints: ENDPOINTS });
  const site = await getJson<{ metadata: { uid: string } }>(config, ['-n', namespace, `site/${SITE}`]);

  const port = await freePort();
  const log: string[] = [];
  const server = startGrantServer({ port, host: '127.0.0.1', namespace, kubeConfig: cluster.kc, site: () => ({ name: SITE, uid: site.metadata.uid }), log: (line) => log.push(line) });
  await server.ready;
  const url = (uid: string): string => `https://127.0.0.1:${port}/${uid}`;
  let sentinels = 0;

  /** Waits until the server's cache holds every grant made so far: one made after them answers 403 to a wrong code. */
  const synced = async (): Promise<void> => {
    const uid = await create(`sync-${++sentinels}`, {}, { code: 'sentinel', redemptions: 0, expirationTime: new Date(Date.now() + 600_000).toISOString() });
    await waitFor('the grant server to see a new AccessGrant', async () => {
      try {
        await redeemAccessToken({ url: url(uid), code: 'wrong', ca: serving.cert }, { name: 'probe', subject: 'probe' });
      } catch (error) {
        if (error instanceof TokenError && error.status === 403) return true;
        if (!(error instanceof TokenError && error.status === 404)) throw error;
      }
      return false;
    }, 10_000);
  };
  const create = async (name: string, spec: AccessGrantSpec, status: AccessGrantStatus): Promise<string> => {
    await apply(config, [{ apiVersion: 'skupper.io/v2alpha1', kind: 'AccessGrant', metadata: { name }, spec }], namespace);
    await patchStatus(config, namespace, `accessgrant/${name}`, { ...status, ca: ca.cert });
    return (await getJson<{ metadata: { uid: string } }>(config, ['-n', namespace, `accessgrant/${name}`])).metadata.uid;
  };

  return {
    namespace,
    siteUid: site.metadata.uid,
    ca,
    server,
    port,
    log,
    grant: async (name, spec, status) => {
      const uid = await create(name, spec, status);
      await synced();
      return uid;
    },
    url,
    siteEndpoints: (endpoints) => patchStatus(config, namespace, `site/${SITE}`, { endpoints }),
    serverCertificate: siteServer,
    stop: async () => {
      await server.close();
      await kubectl(config, ['delete', 'namespace', namespace, '--wait=false']);
    },
  };
}

/** AccessGrant.status.redemptions as stored. */
export async function redemptions(cluster: Cluster, namespace: string, name: string): Promise<number> {
  return (await getJson<{ status?: { redemptions?: number } }>(cluster.kubeconfig, ['-n', namespace, `accessgrant/${name}`])).status?.redemptions ?? 0;
}

function tlsSecret(name: string, cert: string, key: string, caCert: string): object {
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name }, data: { 'tls.crt': b64(cert), 'tls.key': b64(key), 'ca.crt': b64(caCert) } };
}

async function patchStatus(config: string, namespace: string, object: string, status: object): Promise<void> {
  await must(kubectl(config, ['patch', '-n', namespace, object, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]));
}

async function must(result: Promise<{ code: number; stderr: string }>): Promise<void> {
  const done = await result;
  if (done.code !== 0) throw new Error(done.stderr);
}
