/**
 * The reconcilers against the test bed's real kube-apiserver, driven by the real runtime (informers,
 * work queues) in this process: a Site becomes its Secrets, RBAC, ConfigMap, Deployment, RouterAccess
 * and LoadBalancer Service, with the LoadBalancer address in status; bad input becomes conditions;
 * deleting the Site garbage-collects what it made. Router pods need not become Ready here.
 */
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCa, issueCertificate, type KeyPairPem } from '../../common/src/pki.js';
import type { Redeemed } from '../../common/src/tokens/redeem-answer.js';
import { redeemAccessToken } from '../../common/src/tokens/redeem.js';
import { refusal } from '../../common/src/tokens/redeem-errors.js';
import { MANAGED_BY } from '../../common/src/kube-api/names.js';
import type { Redeem } from '../../site-controller/src/reconcilers/access-token.js';
import { registrations } from '../../site-controller/src/reconcilers/index.js';
import { Manager } from '../../site-controller/src/runtime/manager.js';
import { startTestbed, type Cluster, type Testbed } from '../testbed/src/testbed.js';
import { apply, getJson, kubectl, skipWithoutComponents, waitFor } from '../testbed/helpers.js';

const NS = 'west';
const BAD_NS = 'bad-access';
const CRDS = join(import.meta.dirname, '../../charts/skiff/crds');

interface Condition { type: string; status: string; reason: string; message: string; observedGeneration: number }
interface Obj {
  metadata: { name: string; uid: string; resourceVersion: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
  spec?: Record<string, unknown>;
  status?: { status?: string; message?: string; conditions?: Condition[]; endpoints?: { name: string; host: string; port: string }[]; url?: string; code?: string; ca?: string; expirationTime?: string };
  data?: Record<string, string>;
}

let tb: Testbed;
let c1: Cluster;
let manager: Manager | undefined;
const log: string[] = [];
let issued: KeyPairPem & { ca: string };
/** Every redemption the controller asked for: `<token name> <subject>`. */
const redemptions: string[] = [];

/**
 * The issuing site's side of a redemption (the HTTP edge; the grant server has its own tests): code
 * `right` gets a Secret and a Link to a far site, any other code the grant server's 403. A URL
 * ending in /unreachable goes to the real client, so a real connection failure is seen.
 */
const redeem: Redeem = async (spec, options) => {
  if (spec.url.endsWith('/unreachable')) return redeemAccessToken(spec, options);
  redemptions.push(`${options.name} ${options.subject}`);
  if (spec.code !== 'right') throw refusal(spec.url, 403, 'Redemption of access token refused');
  const endpoint = (name: 'inter-router' | 'edge', port: number) => ({ name, host: '172.30.2.100', port });
  const answer: Redeemed = {
    secret: { name: options.name, 'tls.crt': issued.cert, 'tls.key': issued.key, 'ca.crt': issued.ca, generatedBy: 'east-site-uid' },
    links: [{ name: options.name, endpoints: [endpoint('inter-router', 55671), endpoint('edge', 45671)] }],
  };
  return answer;
};

function get(kind: string, name: string, namespace = NS): Promise<Obj> {
  return getJson<Obj>(c1.kubeconfig, ['-n', namespace, kind, name]);
}

function condition(object: Obj, type: string): Condition | undefined {
  return object.status?.conditions?.find((c) => c.type === type);
}

/** Waits until `check` holds for the object; fails with its last state. */
async function until(kind: string, name: string, what: string, check: (o: Obj) => boolean, namespace = NS, deadlineMs = 60_000): Promise<Obj> {
  let last: Obj | undefined;
  try {
    await waitFor(`${kind} ${name}: ${what}`, async () => {
      last = await get(kind, name, namespace);
      return check(last);
    }, deadlineMs);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; last: ${JSON.stringify(last?.status ?? last?.metadata ?? null)}`);
  }
  return last as Obj;
}

function site(name: string, spec: Record<string, unknown>): object {
  return { apiVersion: 'skupper.io/v2alpha1', kind: 'Site', metadata: { name }, spec };
}

describe.skipIf(skipWithoutComponents())('site-controller reconcilers', () => {
  beforeAll(async () => {
    const ca = createCa('east-ca');
    issued = { ...issueCertificate(ca, { commonName: 'west-site-uid', usage: 'client' }), ca: ca.cert };
    tb = await startTestbed({ clusters: 1 });
    c1 = tb.cluster('c1');
    const crds = await kubectl(c1.kubeconfig, ['apply', '-f', CRDS]);
    expect(crds.code, crds.stderr).toBe(0);
    await kubectl(c1.kubeconfig, ['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
    for (const ns of [NS, BAD_NS]) await kubectl(c1.kubeconfig, ['create', 'namespace', ns]);
    manager = new Manager({
      kubeConfig: c1.kc,
      settings: {
        namespace: NS,
        watchNamespaces: [NS, BAD_NS],
        routerImage: 'skiff/router:test',
        adaptorImage: 'skiff/site-controller:test',
        serviceControllerImage: 'skiff/service-controller:test',
        nodePortHost: undefined,
        controllerName: MANAGED_BY,
        version: '0.0.0-test',
      },
      log: (line) => log.push(line),
      registrations: (context) => registrations(context, { redeem }),
      identity: 'reconcilers-test',
      leaderElection: false,
    });
    await manager.start();
    await apply(c1.kubeconfig, [site('west', { linkAccess: 'default', ha: true })], NS);
  }, 240_000);

  afterAll(async () => {
    await manager?.stop();
    await tb?.stop();
    const errors = log.filter((l) => /error|fail/i.test(l));
    if (errors.length > 0) process.stderr.write(`controller log:\n${errors.slice(0, 20).join('\n')}\n`);
  }, 240_000);

  test('site - a LoadBalancer RouterAccess resolves, and the Site carries its endpoints', async () => {
    const access = await until('routeraccesses.skupper.io', 'skupper-router', 'Resolved', (o) => condition(o, 'Resolved')?.status === 'True');
    const hosts = new Set(access.status?.endpoints?.map((e) => e.host));
    expect(hosts.size).toBe(1);
    const lb = [...hosts][0] ?? '';
    expect(lb).toMatch(/^172\.30\.1\.1\d\d$/);
    expect(access.status?.endpoints?.map((e) => `${e.name}:${e.port}`)).toEqual(['inter-router:55671', 'edge:45671', 'grant:8081']);
    expect(access.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Site', name: 'west', controller: true })]);
    const service = await get('service', 'skupper-router');
    expect(service.spec?.['type']).toBe('LoadBalancer');
    expect(service.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'RouterAccess', name: 'skupper-router' });
    const west = await until('sites.skupper.io', 'west', 'Resolved with endpoints', (o) => condition(o, 'Resolved')?.status === 'True' && (o.status?.endpoints?.length ?? 0) === 3);
    expect(west.status?.endpoints?.[0]?.host).toBe(lb);
    expect(condition(west, 'Configured')).toMatchObject({ status: 'True', observedGeneration: 1 });
    expect(condition(west, 'Supported')).toMatchObject({ status: 'False', message: 'Skiff does not act on: spec.ha' });
    expect(west.status).toMatchObject({ controller: { name: MANAGED_BY, namespace: NS, version: '0.0.0-test' }, defaultIssuer: 'skupper-site-ca' });
  });

  test('site - Secrets: a CA, and a server cert it signs naming the LoadBalancer address', async () => {
    const access = await get('routeraccesses.skupper.io', 'skupper-router');
    const lb = access.status?.endpoints?.[0]?.host ?? 'none';
    const server = await until('secret', 'skupper-site-server', 'SANs with the LB address', (o) => (o.metadata.annotations?.['skupper.io/hosts'] ?? '').includes(lb));
    const ca = await get('secret', 'skupper-site-ca');
    const caCert = new X509Certificate(Buffer.from(ca.data?.['tls.crt'] ?? '', 'base64'));
    const cert = new X509Certificate(Buffer.from(server.data?.['tls.crt'] ?? '', 'base64'));
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain(`IP Address:${lb}`);
    expect(cert.subjectAltName).toContain('DNS:skupper-router.west.svc.cluster.local');
    for (const secret of [ca, server]) expect(secret.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'skiff', 'skupper.io/site': 'west' });
  });

  test('site - router Deployment, ConfigMap and RBAC; a reconcile with nothing changed rewrites nothing', async () => {
    const deployment = await until('deployment', 'skupper-router', 'exists', () => true);
    expect(deployment.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Site', name: 'west', controller: true });
    const config = await get('configmap', 'skupper-router');
    const entities = JSON.parse(config.data?.['skrouterd.json'] ?? '[]') as [string, Record<string, unknown>][];
    expect(entities.filter(([t]) => t === 'listener').map(([, a]) => a['name'])).toEqual(['amqp', 'health', 'skupper-router-inter-router', 'skupper-router-edge']);
    for (const kind of ['serviceaccount', 'role', 'rolebinding']) expect((await get(kind, 'skupper-router')).metadata.ownerReferences?.[0]?.name).toBe('west');
    const before = await Promise.all(['deployment', 'configmap', 'secret'].map((k) => get(k, k === 'secret' ? 'skupper-site-ca' : 'skupper-router')));
    const server = await get('secret', 'skupper-site-server');
    // A spec change the controller ignores enqueues the Site again; nothing it made may change.
    await apply(c1.kubeconfig, [site('west', { linkAccess: 'default', ha: true, settings: { size: 'small' } })], NS);
    await until('sites.skupper.io', 'west', 'generation 2 observed', (o) => condition(o, 'Configured')?.observedGeneration === 2);
    const after = await Promise.all(['deployment', 'configmap', 'secret'].map((k) => get(k, k === 'secret' ? 'skupper-site-ca' : 'skupper-router')));
    expect(after.map((o) => o.metadata.resourceVersion)).toEqual(before.map((o) => o.metadata.resourceVersion));
    expect((await get('secret', 'skupper-site-server')).data).toEqual(server.data);
  });

  test('link - a missing Secret is a condition saying what to do; creating it configures the Link and its connector', async () => {
    const linkObject = {
      apiVersion: 'skupper.io/v2alpha1',
      kind: 'Link',
      metadata: { name: 'to-east' },
      spec: { tlsCredentials: 'to-east-creds', cost: 2, endpoints: [{ name: 'inter-router', host: '172.30.2.100', port: '55671' }, { name: 'edge', host: '172.30.2.100', port: '45671' }] },
    };
    await apply(c1.kubeconfig, [linkObject], NS);
    const missing = await until('links.skupper.io', 'to-east', 'Configured=False', (o) => condition(o, 'Configured')?.status === 'False');
    expect(missing.status).toMatchObject({ status: 'Error', message: 'Secret to-east-creds not found: create it or redeem a token again' });
    const config = await get('configmap', 'skupper-router');
    expect(config.data?.['skrouterd.json']).not.toContain('to-east');
    const pem = Buffer.from('x').toString('base64');
    await apply(c1.kubeconfig, [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'to-east-creds' }, type: 'kubernetes.io/tls', data: { 'tls.crt': pem, 'tls.key': pem, 'ca.crt': pem } }], NS);
    const configured = await until('links.skupper.io', 'to-east', 'Configured=True', (o) => condition(o, 'Configured')?.status === 'True');
    expect(condition(configured, 'Operational')?.status).toBe('False');
    const withLink = await until('configmap', 'skupper-router', 'a connector for the Link', (o) => (o.data?.['skrouterd.json'] ?? '').includes('"to-east@'));
    const connector = (JSON.parse(withLink.data?.['skrouterd.json'] ?? '[]') as [string, Record<string, unknown>][]).find(([t]) => t === 'connector');
    expect(connector?.[1]).toEqual({ name: 'to-east@172.30.2.100:55671', role: 'inter-router', host: '172.30.2.100', port: '55671', cost: 2, sslProfile: 'to-east-creds-profile' });
  });

  test('grant - url on the LoadBalancer grant port with the grant uid, a 24-character code, the site CA, an expiry', async () => {
    await apply(c1.kubeconfig, [{ apiVersion: 'skupper.io/v2alpha1', kind: 'AccessGrant', metadata: { name: 'g1' }, spec: { expirationWindow: '1h' } }], NS);
    const grant = await until('accessgrants.skupper.io', 'g1', 'Ready', (o) => o.status?.status === 'Ready');
    const lb = (await get('routeraccesses.skupper.io', 'skupper-router')).status?.endpoints?.[0]?.host;
    expect(grant.status?.url).toBe(`https://${lb}:8081/${grant.metadata.uid}`);
    expect(grant.status?.code).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(grant.status?.ca).toBe(Buffer.from((await get('secret', 'skupper-site-ca')).data?.['tls.crt'] ?? '', 'base64').toString());
    expect(Date.parse(grant.status?.expirationTime ?? '') - Date.now()).toBeGreaterThan(50 * 60_000);
    await apply(c1.kubeconfig, [{ apiVersion: 'skupper.io/v2alpha1', kind: 'AccessGrant', metadata: { name: 'g2' }, spec: { expirationWindow: '2d' } }], NS);
    const bad = await until('accessgrants.skupper.io', 'g2', 'Processed=False', (o) => condition(o, 'Processed')?.status === 'False');
    // The CRD's duration format lets `2d` through; Go's ParseDuration (what Skupper uses) has no days.
    expect(bad.status?.message).toBe('expirationWindow "2d" is not a positive duration: use e.g. 15m, 1h or 1h30m');
  });

  test('token - an unreachable grant server is retried, said in status, and nothing is made', async () => {
    const ca = Buffer.from((await get('secret', 'skupper-site-ca')).data?.['tls.crt'] ?? '', 'base64').toString();
    await apply(c1.kubeconfig, [{ apiVersion: 'skupper.io/v2alpha1', kind: 'AccessToken', metadata: { name: 'tok' }, spec: { url: 'https://127.0.0.1:1/unreachable', code: 'abc', ca } }], NS);
    const token = await until('accesstokens.skupper.io', 'tok', 'Redeemed=False', (o) => condition(o, 'Redeemed')?.status === 'False');
    expect(token.status?.status).toBe('Pending');
    expect(token.status?.message).toMatch(/cannot reach https:\/\/127\.0\.0\.1:1\/unreachable.*\(retrying\)/);
    expect((await kubectl(c1.kubeconfig, ['-n', NS, 'get', 'links.skupper.io', 'tok'])).code).not.toBe(0);
  });

  test('token - redeemed once: its Secret and Link owned by the token, the Link configured, a connector for it', async () => {
    const ca = Buffer.from((await get('secret', 'skupper-site-ca')).data?.['tls.crt'] ?? '', 'base64').toString();
    const west = await get('sites.skupper.io', 'west');
    await apply(c1.kubeconfig, [{ apiVersion: 'skupper.io/v2alpha1', kind: 'AccessToken', metadata: { name: 'tok-ok' }, spec: { url: 'https://east.example:8081/g', code: 'right', ca, linkCost: 4 } }], NS);
    const token = await until('accesstokens.skupper.io', 'tok-ok', 'Redeemed', (o) => o.status?.status === 'Ready');
    expect(token.status).toMatchObject({ redeemed: true, message: 'OK' });
    expect(redemptions.filter((r) => r.startsWith('tok-ok '))).toEqual([`tok-ok ${west.metadata.uid}`]);
    const secret = await get('secret', 'tok-ok');
    const link = await until('links.skupper.io', 'tok-ok', 'Configured', (o) => condition(o, 'Configured')?.status === 'True');
    for (const made of [secret, link]) {
      expect(made.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'AccessToken', name: 'tok-ok', controller: true })]);
      expect(made.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'skiff', 'skupper.io/site': 'west' });
    }
    expect(Buffer.from(secret.data?.['tls.crt'] ?? '', 'base64').toString()).toBe(issued.cert);
    expect(link.spec).toMatchObject({ tlsCredentials: 'tok-ok', cost: 4 });
    await until('configmap', 'skupper-router', 'a connector for the token\'s Link', (o) => (o.data?.['skrouterd.json'] ?? '').includes('"tok-ok-profile"'));
  });

  test('token - a refused code is an Error naming what to do, and is not retried', async () => {
    await apply(c1.kubeconfig, [{ apiVersion: 'skupper.io/v2alpha1', kind: 'AccessToken', metadata: { name: 'tok-bad' }, spec: { url: 'https://east.example:8081/g', code: 'wrong', ca: issued.ca } }], NS);
    const token = await until('accesstokens.skupper.io', 'tok-bad', 'Redeemed=False', (o) => condition(o, 'Redeemed')?.status === 'False');
    expect(token.status).toMatchObject({ status: 'Error', redeemed: false });
    expect(token.status?.message).toMatch(/refused the code in the token \(403 Redemption of access token refused\): use the token file as it was written/);
    // A Site change enqueues every token of the namespace: neither token is redeemed again.
    await apply(c1.kubeconfig, [site('west', { linkAccess: 'default', ha: true, settings: { size: 'medium' } })], NS);
    await until('sites.skupper.io', 'west', 'generation 3 observed', (o) => condition(o, 'Configured')?.observedGeneration === 3);
    await until('accesstokens.skupper.io', 'tok-bad', 'still refused', (o) => o.status?.status === 'Error');
    expect(redemptions.filter((r) => r.startsWith('tok-bad ')).length).toBe(1);
    expect(redemptions.filter((r) => r.startsWith('tok-ok ')).length).toBe(1);
  });

  test('site - an unknown linkAccess and a second Site in a namespace are Configured=False errors', async () => {
    await apply(c1.kubeconfig, [site('odd', { linkAccess: 'route' })], BAD_NS);
    const odd = await until('sites.skupper.io', 'odd', 'Configured=False', (o) => condition(o, 'Configured')?.status === 'False', BAD_NS);
    expect(odd.status).toMatchObject({ status: 'Error', message: 'linkAccess "route" is not supported: use one of default, loadbalancer, nodeport, local, none' });
    await apply(c1.kubeconfig, [site('second', {})], NS);
    const second = await until('sites.skupper.io', 'second', 'Configured=False', (o) => condition(o, 'Configured')?.status === 'False');
    expect(second.status?.message).toBe('only one Site per namespace: Site west already configures namespace west; delete this one');
    // Fixing the first Site configures it.
    await apply(c1.kubeconfig, [site('odd', { linkAccess: 'local' })], BAD_NS);
    const fixed = await until('routeraccesses.skupper.io', 'skupper-router', 'Resolved', (o) => condition(o, 'Resolved')?.status === 'True', BAD_NS);
    expect(fixed.status?.endpoints?.[0]?.host).toBe(`skupper-router.${BAD_NS}`);
  });

  test('site - deleting the Site garbage-collects everything it made', async () => {
    // A token's Secret and Link belong to the token (ADR 0004): deleting the tokens removes them.
    await kubectl(c1.kubeconfig, ['-n', NS, 'delete', 'accesstokens.skupper.io', '--all', '--wait=false']);
    await kubectl(c1.kubeconfig, ['-n', NS, 'delete', 'sites.skupper.io', 'second', '--wait=false']);
    const deleted = await kubectl(c1.kubeconfig, ['-n', NS, 'delete', 'sites.skupper.io', 'west', '--wait=false']);
    expect(deleted.code, deleted.stderr).toBe(0);
    const kinds = 'deployments,configmaps,secrets,services,serviceaccounts,roles,rolebindings,routeraccesses.skupper.io';
    await waitFor('nothing made by the controller left in the namespace', async () => {
      const list = await getJson<{ items: Obj[] }>(c1.kubeconfig, ['-n', NS, kinds, '-l', 'app.kubernetes.io/part-of=skiff']);
      return list.items.length === 0;
    }, 90_000);
    // The user's own Secret is not the controller's and stays.
    expect((await get('secret', 'to-east-creds')).metadata.name).toBe('to-east-creds');
  });
});
