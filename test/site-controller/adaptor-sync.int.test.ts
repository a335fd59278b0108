/**
 * The kube-adaptor against a real kube-apiserver (the test bed, one cluster) and real routers on
 * 127.0.0.1: `--init` writes the sslProfile files (and fails naming a missing Secret); run mode
 * brings router "west" to ConfigMap skupper-router over management without touching what did not
 * change, also after the router restarts, and writes skupper-network-status with the link to a
 * second router ("east") and the site east reports, and why a link is not on the router. The
 * adaptor holds only the Role the controller gives router pods. Needs `npm run build` (the adaptor
 * runs from dist/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmqpManagement, type Row } from '../../common/src/amqp-management.js';
import { issueCertificate } from '../../common/src/pki.js';
import { SyncLink } from '../../common/src/site-sync/sync-link.js';
import { siteReportMessage } from '../../common/src/site-sync/sync-messages.js';
import { NetworkStatusConfigMap, NetworkStatusKey, RouterConfigKey, RouterConfigMap, siteLabels } from '../../common/src/kube-api/names.js';
import type { NetworkStatus } from '../../common/src/kube-api/network-status.js';
import { ADAPTOR_RULES } from '../../site-controller/src/desired/router-rbac.js';
import { REPO_ROOT, startRouter, stopAllRouters, type ConfigEntity, type RouterProcess } from '../support/router-process.js';
import { TestPki } from '../support/tls-files.js';
import { apply, getJson, kubectl, skipWithoutComponents, waitFor } from '../testbed/helpers.js';
import { freePort } from '../testbed/src/free-port.js';
import { startTestbed, type Testbed } from '../testbed/src/testbed.js';

const NS = 'adaptor-test';
const ADAPTOR_MAIN = join(REPO_ROOT, 'dist/site-controller/src/adaptor/main.js');
const LAUNCH = `import(${JSON.stringify(ADAPTOR_MAIN)}).then((m) => m.runAdaptor(process.argv.slice(1)))`;

let tb: Testbed;
let kubeconfig = '';
/** The adaptor's: a user holding only the Role the controller gives router pods (router-rbac.ts). */
let adaptorKubeconfig = '';
let certsDir = '';
let pki: TestPki;
let west: RouterProcess;
let adaptor: { child: ChildProcess; output: () => string } | undefined;
let eastReports: SyncLink | undefined;
let reportTimer: NodeJS.Timeout | undefined;
let siteUid = '';
const ports = { westManagement: 0, eastManagement: 0, eastInterRouter: 0, health: 0, grant: 0 };

const westBase = (): ConfigEntity[] => [
  ['router', { id: 'west-r', mode: 'interior' }],
  ['address', { prefix: 'mc', distribution: 'multicast' }],
  ['listener', { name: 'amqp', host: '127.0.0.1', port: ports.westManagement }],
  // As the controller writes it (desired/router-config.ts): booleans and a port as a string.
  ['listener', { name: 'health', host: '127.0.0.1', port: '0', role: 'normal', http: true, healthz: true, metrics: true }],
  // The router has it from its config file; tcpListeners are the service-controller's, never the adaptor's.
  ['tcpListener', { name: 'keep', host: '127.0.0.1', port: 0, address: 'keep' }],
];
const linkProfile = (): ConfigEntity => ['sslProfile', {
  name: 'east-link-profile', caCertFile: join(certsDir, 'east-link-profile/ca.crt'),
  certFile: join(certsDir, 'east-link-profile/tls.crt'), privateKeyFile: join(certsDir, 'east-link-profile/tls.key'),
}];
const linkConnector = (): ConfigEntity => ['connector', { name: 'to-east', role: 'inter-router', host: '127.0.0.1', port: String(ports.eastInterRouter), cost: 1, sslProfile: 'east-link-profile' }];

async function setRouterConfig(entities: ConfigEntity[]): Promise<void> {
  await apply(kubeconfig, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: RouterConfigMap, labels: siteLabels('west') }, data: { [RouterConfigKey]: JSON.stringify(entities) } }], NS);
}

function runAdaptor(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const env = {
    ...process.env, KUBECONFIG: adaptorKubeconfig, POD_NAMESPACE: NS, POD_NAME: 'skupper-router-test', SKIFF_SITE_NAME: 'west',
    SKIFF_CERTS_DIR: certsDir, SKIFF_MANAGEMENT_PORT: String(ports.westManagement), SKIFF_HEALTH_PORT: String(ports.health), SKIFF_GRANT_PORT: String(ports.grant),
  };
  const child = spawn(process.execPath, ['--input-type=module', '-e', LAUNCH, '--', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

async function routerEntities(router: RouterProcess, type: string): Promise<Row[]> {
  return AmqpManagement.with({ port: router.ports.get('amqp')! }, (mgmt) => mgmt.query(type));
}

async function networkStatus(): Promise<NetworkStatus | undefined> {
  const result = await kubectl(kubeconfig, ['get', 'configmap', NetworkStatusConfigMap, '-n', NS, '-o', 'json']);
  if (result.code !== 0) return undefined;
  const text = (JSON.parse(result.stdout) as { data?: Record<string, string> }).data?.[NetworkStatusKey];
  return text === undefined ? undefined : (JSON.parse(text) as NetworkStatus);
}

async function readyz(): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${ports.health}/readyz`)).status;
  } catch {
    return 0;
  }
}

describe.skipIf(skipWithoutComponents())('kube-adaptor - router config sync and network status against a real apiserver', () => {
  beforeAll(async () => {
    for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();
    tb = await startTestbed({ clusters: 1 });
    kubeconfig = tb.clusters[0]!.kubeconfig;
    const crd = await kubectl(kubeconfig, ['apply', '-f', join(REPO_ROOT, 'charts/skiff/crds')]);
    expect(crd.code, crd.stderr).toBe(0);
    expect((await kubectl(kubeconfig, ['wait', '--for=condition=established', 'crd/sites.skupper.io', 'crd/accessgrants.skupper.io', '--timeout=30s'])).code).toBe(0);
    expect((await kubectl(kubeconfig, ['create', 'namespace', NS])).code).toBe(0);
    adaptorKubeconfig = await tb.namespacedUser('c1', { user: 'skupper-router', namespace: NS, rules: ADAPTOR_RULES.map((rule) => ({ ...rule })) });
    await apply(kubeconfig, [{ apiVersion: 'skupper.io/v2alpha1', kind: 'Site', metadata: { name: 'west' }, spec: {} }], NS);
    siteUid = (await getJson<{ metadata: { uid: string } }>(kubeconfig, ['site', 'west', '-n', NS])).metadata.uid;

    certsDir = mkdtempSync(join(tmpdir(), 'skiff-adaptor-certs-'));
    pki = new TestPki('east-ca');
    await startRouter('east', [
      ['router', { id: 'east-r', mode: 'interior' }],
      ['address', { prefix: 'mc', distribution: 'multicast' }],
      ['listener', { name: 'amqp', host: '127.0.0.1', port: ports.eastManagement }],
      ['sslProfile', { name: 'server', ...pki.issue('127.0.0.1') }],
      ['listener', { name: 'inter-router', role: 'inter-router', host: '127.0.0.1', port: ports.eastInterRouter, sslProfile: 'server', authenticatePeer: true, saslMechanisms: 'EXTERNAL' }],
    ]);
    // Site east's report, as its agent would send it, so west's status can name the remote site.
    eastReports = new SyncLink(ports.eastManagement, 'east-agent', { onMessage: () => undefined, onReady: () => undefined }, () => undefined);
    const report = { id: 'uid-east', name: 'east', routerId: 'east-r', mode: 'interior', links: [], services: [] };
    reportTimer = setInterval(() => eastReports?.send([siteReportMessage('test', report)]), 1000);
  }, 180_000);

  afterAll(async () => {
    clearInterval(reportTimer);
    eastReports?.close();
    if (adaptor !== undefined && adaptor.child.exitCode === null) {
      const exited = new Promise((done) => adaptor!.child.once('exit', done));
      adaptor.child.kill('SIGTERM');
      const timer = setTimeout(() => adaptor?.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await stopAllRouters();
    await tb?.stop();
    pki?.dispose();
    if (certsDir !== '') rmSync(certsDir, { recursive: true, force: true });
  }, 120_000);

  it('--init fails naming a missing Secret, then writes every sslProfile\'s files once it exists', async () => {
    await setRouterConfig([...westBase(), linkProfile(), linkConnector()]);
    const missing = runAdaptor(['--init']);
    expect(await missing.exited).not.toBe(0);
    expect(missing.output()).toMatch(/Secret east-link \(for sslProfile east-link-profile\) not found in namespace adaptor-test/);

    const client = issueCertificate(pki.ca, { commonName: 'west', usage: 'client' });
    const secret = { 'tls.crt': client.cert, 'tls.key': client.key, 'ca.crt': pki.ca.cert };
    await apply(kubeconfig, [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'east-link' }, type: 'kubernetes.io/tls', stringData: secret }], NS);
    const init = runAdaptor(['--init']);
    expect(await init.exited, init.output()).toBe(0);
    expect(readdirSync(join(certsDir, 'east-link-profile')).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    expect(readFileSync(join(certsDir, 'east-link-profile/tls.crt'), 'utf8')).toBe(client.cert);
  }, 60_000);

  it('creates a link added to the ConfigMap on the running router within seconds, and reports it connected', async () => {
    rmSync(join(certsDir, 'east-link-profile'), { recursive: true, force: true });
    await setRouterConfig(westBase());
    west = await startRouter('west', westBase());
    adaptor = runAdaptor([]);
    await waitFor('the adaptor ready (first sync with the router done)', async () => (await readyz()) === 200, 30_000);

    const added = Date.now();
    await setRouterConfig([...westBase(), linkProfile(), linkConnector()]);
    await waitFor('connector to-east on router west', async () => (await routerEntities(west, 'connector')).some((r) => r.name === 'to-east'), 10_000);
    expect(Date.now() - added).toBeLessThan(10_000);
    expect(existsSync(join(certsDir, 'east-link-profile/tls.key'))).toBe(true);
    await waitFor('link to-east connected', async () => (await routerEntities(west, 'connector')).find((r) => r.name === 'to-east')?.connectionStatus === 'SUCCESS', 20_000);

    await waitFor('network status: link to-east connected to site east', async () => {
      const status = await networkStatus();
      const link = status?.links.find((l) => l.name === 'to-east');
      return link?.connected === true && link.remoteSiteName === 'east' && status?.sites.map((s) => s.name).join(',') === 'west,east';
    }, 30_000);
    const status = (await networkStatus())!;
    expect(status.siteId).toBe(siteUid);
    expect(status.links).toEqual([{ name: 'to-east', connected: true, description: 'SUCCESS', remoteSiteId: 'uid-east', remoteSiteName: 'east' }]);
    expect(status.sites[0]).toMatchObject({ id: siteUid, name: 'west', namespace: NS, platform: 'kubernetes', links: [{ name: 'to-east', remoteSiteId: 'uid-east', remoteSiteName: 'east', operational: true }] });
    const meta = (await getJson<{ metadata: { labels: Record<string, string>; ownerReferences: { kind: string; uid: string }[] } }>(kubeconfig, ['configmap', NetworkStatusConfigMap, '-n', NS])).metadata;
    expect(meta.labels).toMatchObject(siteLabels('west'));
    expect(meta.ownerReferences).toEqual([expect.objectContaining({ kind: 'Site', uid: siteUid })]);
  }, 120_000);

  it('rewrites the network status only when it changes', async () => {
    const version = async (): Promise<string> => (await getJson<{ metadata: { resourceVersion: string } }>(kubeconfig, ['configmap', NetworkStatusConfigMap, '-n', NS])).metadata.resourceVersion;
    const before = await version();
    // Several polls (2 s) and report rounds (5 s) pass; nothing changes, so nothing is written.
    await new Promise((done) => setTimeout(done, 7_000));
    expect(await version()).toBe(before);
  }, 30_000);

  it('reports the link down while the router is gone, and brings the restarted router (started from an older config) back to the ConfigMap', async () => {
    const port = west.ports.get('amqp');
    await west.stop();
    await waitFor('network status: link down while the router is gone', async () => /router not reachable/.test((await networkStatus())?.links[0]?.description ?? ''), 15_000);
    expect((await networkStatus())?.links[0]?.connected).toBe(false);
    west = await startRouter('west', westBase());
    expect(west.ports.get('amqp')).toBe(port);
    await waitFor('connector to-east again on the restarted router', async () => (await routerEntities(west, 'connector').catch(() => [])).some((r) => r.name === 'to-east'), 20_000);
    expect(adaptor!.output()).toMatch(/router management: connected -> unreachable/);
  }, 60_000);

  it('replaces the sslProfile and the connector using it when the Secret\'s certificate changes', async () => {
    const renewed = issueCertificate(pki.ca, { commonName: 'west-renewed', usage: 'client' });
    const mark = adaptor!.output().length;
    await apply(kubeconfig, [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'east-link' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': renewed.cert, 'tls.key': renewed.key, 'ca.crt': pki.ca.cert } }], NS);
    await waitFor('renewed certificate file', () => readFileSync(join(certsDir, 'east-link-profile/tls.crt'), 'utf8') === renewed.cert, 10_000);
    // The connector goes before its profile and comes back after it (other lines may come between).
    const steps = ['connector to-east: deleted', 'sslProfile east-link-profile: deleted', 'sslProfile east-link-profile: created', 'connector to-east: created'];
    const inOrder = (): boolean => {
      const output = adaptor!.output();
      let at = mark - 1;
      return steps.every((step) => (at = output.indexOf(step, at + 1)) >= 0);
    };
    await waitFor('sslProfile and connector replaced, in that order', inOrder, 20_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; the adaptor logged:\n${adaptor!.output().slice(mark).slice(-3000)}`);
    });
    await waitFor('link to-east connected with the renewed certificate', async () => (await routerEntities(west, 'connector')).find((r) => r.name === 'to-east')?.connectionStatus === 'SUCCESS', 20_000);
  }, 60_000);

  it('says in the network status why a link is not on the router: its Secret is missing, or the router refused it', async () => {
    const held: ConfigEntity[] = [
      ['sslProfile', { name: 'gone-link-profile', caCertFile: join(certsDir, 'gone-link-profile/ca.crt'), certFile: join(certsDir, 'gone-link-profile/tls.crt'), privateKeyFile: join(certsDir, 'gone-link-profile/tls.key') }],
      ['connector', { name: 'to-nowhere', role: 'inter-router', host: '127.0.0.1', port: '1', sslProfile: 'gone-link-profile' }],
      ['connector', { name: 'refused', role: 'inter-router', host: '127.0.0.1', port: '70000' }],
    ];
    await setRouterConfig([...westBase(), linkProfile(), linkConnector(), ...held]);
    const descriptions = async (): Promise<Record<string, string>> => Object.fromEntries(((await networkStatus())?.links ?? []).map((l) => [l.name, l.description]));
    await waitFor('network status: why to-nowhere and refused are not on the router', async () => {
      const links = await descriptions();
      return /^Secret gone-link/.test(links['to-nowhere'] ?? '') && /^connector refused not created/.test(links['refused'] ?? '');
    }, 20_000);
    const links = await descriptions();
    expect(links['to-nowhere']).toMatch(/^Secret gone-link \(for sslProfile gone-link-profile\) not found/);
    expect(links['refused']).toMatch(/^connector refused not created: .*'port' is "70000"; expected a port number 1-65535/);
    expect(links['to-east']).toBe('SUCCESS');
  }, 60_000);

  it('deletes a link removed from the ConfigMap, and never touched the entities that did not change', async () => {
    await setRouterConfig(westBase());
    await waitFor('connector to-east gone from router west', async () => !(await routerEntities(west, 'connector')).some((r) => r.name === 'to-east'), 10_000);
    await waitFor('sslProfile east-link-profile gone', async () => !(await routerEntities(west, 'sslProfile')).some((r) => r.name === 'east-link-profile'), 10_000);
    await waitFor('network status without links', async () => (await networkStatus())?.links.length === 0, 15_000);
    await waitFor('the files of sslProfile east-link-profile removed', () => !existsSync(join(certsDir, 'east-link-profile')), 10_000);
    const output = adaptor!.output();
    expect(output).toMatch(/connector to-east: deleted/);
    expect(output).not.toMatch(/tcpListener keep:|listener amqp:|listener health:/);
    expect((await routerEntities(west, 'tcpListener')).map((r) => r.name)).toEqual(['keep']);
    // The router's own account: its management listener opened once, never closed and opened again.
    expect(west.log().match(/listener amqp \(normal\) listening on/g)).toHaveLength(1);
    expect(adaptor!.child.exitCode).toBe(null);
  }, 60_000);
});
