/**
 * `skiff` on a Kubernetes site against the test bed's real kube-apiserver, with Skiff's CRDs and no
 * controller: the CLI creates the right CRs and reads their status. Where a command waits, the test
 * plays the controller by writing status (`kubectl patch --subresource=status`); where nobody
 * answers, the CLI must say so. The CLI runs in-process (runCli) with its own environment.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { createCa, issueCertificate } from '../../common/src/pki.js';
import { runCli } from '../../cli/src/cli.js';
import { certTokenYaml } from '../../cli/src/tokens/cert-token.js';
import { readTarGz } from '../support/tar-reader.js';
import { getJson, kubectl, skipWithoutComponents, waitFor } from '../testbed/helpers.js';
import { REPO_ROOT } from '../testbed/src/paths.js';
import { startTestbed, type Testbed } from '../testbed/src/testbed.js';
import { inertPlatform } from './cli-harness.js';

const CRDS = join(REPO_ROOT, 'charts', 'skiff', 'crds');
const home = mkdtempSync(join(tmpdir(), 'skiff-kube-cli-'));
let tb: Testbed;
let admin: string;

interface Run {
  code: number;
  out: string;
  err: string;
}

/** stderr lines of the run in progress, for tests that watch its progress. */
let liveErr: string[] = [];

/** Runs skiff in-process against cluster c1 as its admin; `-n NS` goes in args. */
async function skiff(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = (liveErr = []);
  const env = { PATH: process.env.PATH, HOME: home, SKIFF_HOME: join(home, 'skiff') };
  const code = await runCli([...args, ...(args.includes('--kubeconfig') ? [] : ['--kubeconfig', admin])], { env, out: (l) => out.push(l), err: (l) => err.push(l), platform: inertPlatform, now: () => new Date() });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function ok(...args: string[]): Promise<Run> {
  const run = await skiff(...args);
  if (run.code !== 0) throw new Error(`skiff ${args.join(' ')} exited ${run.code}: ${run.err}`);
  return run;
}

function expectError(run: Run, exit: number, code: string): void {
  expect(run.code, run.err).toBe(exit);
  // Progress lines may come first; the error is the last two lines.
  expect(run.err).toMatch(new RegExp(`(^|\\n)Error: .+ \\[${code}\\]\\nHint: \\S[^\\n]*$`));
  expect(run.err).not.toMatch(/\n\s+at /);
}

interface Obj {
  metadata: { name: string; uid: string; labels?: Record<string, string>; ownerReferences?: { uid: string }[] };
  spec?: Record<string, unknown>;
  type?: string;
  data?: Record<string, string>;
}

const get = (kind: string, name: string, ns: string): Promise<Obj> => getJson<Obj>(admin, [kind, name, '-n', ns]);
const names = async (kind: string, ns: string): Promise<string[]> => (await getJson<{ items: Obj[] }>(admin, [kind, '-n', ns])).items.map((o) => o.metadata.name);

/** Plays the controller: merges `status` into the object's status subresource. */
async function setStatus(kind: string, name: string, ns: string, status: object): Promise<void> {
  const result = await kubectl(admin, ['patch', kind, name, '-n', ns, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
  if (result.code !== 0) throw new Error(`patch ${kind}/${name} status: ${result.stderr}`);
}

function cond(type: string, ok: boolean, message = ok ? 'OK' : 'not yet'): object {
  return { type, status: ok ? 'True' : 'False', reason: ok ? 'Ready' : 'Pending', message, observedGeneration: 1, lastTransitionTime: new Date().toISOString() };
}

async function exists(kind: string, name: string, ns: string): Promise<boolean> {
  return (await kubectl(admin, ['get', kind, name, '-n', ns])).code === 0;
}

const ca = createCa('skupper-site-ca');
const readySite = {
  status: 'Ready',
  message: 'OK',
  conditions: [cond('Configured', true), cond('Running', true), cond('Resolved', true)],
  endpoints: [
    { name: 'inter-router', host: '172.30.1.100', port: '55671', group: 'skupper-router' },
    { name: 'edge', host: '172.30.1.100', port: '45671', group: 'skupper-router' },
  ],
  controller: { name: 'skiff-site-controller', namespace: 'west', version: '9.9.9' },
};

describe.skipIf(skipWithoutComponents())('kube cli - against a real API server, no controller', () => {
  beforeAll(async () => {
    tb = await startTestbed({ clusters: 1 });
    admin = tb.clusters[0]!.kubeconfig;
    for (const ns of ['west', 'east', 'lonely', 'slow']) expect((await kubectl(admin, ['create', 'namespace', ns])).code).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await tb?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  test('init without the CRDs says they are not installed and how to install them', async () => {
    const run = await skiff('init', '-n', 'west');
    expectError(run, 7, 'SKIFF_ERR_NO_CRDS');
    expect(run.err).toContain("Skiff's CRDs are not installed");
    expect(run.err).toContain('helm install skiff charts/skiff');
    const applied = await kubectl(admin, ['apply', '-f', CRDS]);
    expect(applied.code, applied.stderr).toBe(0);
    await waitFor('the skupper.io CRDs to be served', async () => (await kubectl(admin, ['get', 'sites', '-n', 'west'])).code === 0, 30_000);
  });

  test('init creates the Site, shows what it waits for, and prints the result once the status says ready', async () => {
    const init = skiff('init', '-n', 'west', '--enable-link-access', '--timeout', '60s');
    await waitFor('Site west to be created', () => exists('site', 'west', 'west'), 20_000);
    const site = await get('site', 'west', 'west');
    expect(site.spec).toEqual({ linkAccess: 'default' });
    expect(site.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'skiff', 'app.kubernetes.io/managed-by': 'skiff-cli' });
    await setStatus('site', 'west', 'west', { status: 'Pending', conditions: [cond('Configured', true), cond('Running', false, 'router pod not Ready')] });
    await waitFor('progress to say what is left', () => Promise.resolve(liveErr.some((l) => l.startsWith('waiting for: router pod Ready, link access endpoints'))), 20_000);
    await setStatus('site', 'west', 'west', readySite);
    const run = await init;
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain('waiting for: a controller to take the Site, router config, router pod Ready, link access endpoints');
    expect(run.out).toContain('for: a controller to take the Site, router config, router pod Ready, link access endpoints.');
    expect(run.out).toContain('Site "west" is ready.');
    expect(run.out).toContain('inter-router 172.30.1.100:55671');
    expectError(await skiff('init', '-n', 'west'), 4, 'SKIFF_ERR_SITE_EXISTS');
  });

  test('init where no controller answers stops after 20 s and says how to install one', async () => {
    const started = Date.now();
    const run = await skiff('init', '-n', 'lonely', '--site-name', 'alone', '--router-mode', 'edge');
    expectError(run, 7, 'SKIFF_ERR_NO_CONTROLLER');
    expect(Date.now() - started).toBeGreaterThanOrEqual(19_000);
    expect(run.err).toContain('helm install skiff charts/skiff -n lonely');
    expect((await get('site', 'alone', 'lonely')).spec).toEqual({ edge: true });
  }, 60_000);

  test('init times out naming what is still missing, from the conditions', async () => {
    const init = skiff('init', '-n', 'slow', '--timeout', '6s');
    await waitFor('Site slow to be created', () => exists('site', 'slow', 'slow'), 20_000);
    await setStatus('site', 'slow', 'slow', { status: 'Pending', conditions: [cond('Configured', true), cond('Running', false, 'pod skupper-router-x: CrashLoopBackOff')] });
    const run = await init;
    expectError(run, 7, 'SKIFF_ERR_TIMEOUT');
    expect(run.err).toMatch(/still missing: router pod Ready \(pod skupper-router-x: CrashLoopBackOff\)/);
    // What is done (the router config) is not in the error; it was in the first progress line.
    expect(run.err.split('\n').find((l) => l.startsWith('Error:'))).not.toContain('router config');
  });

  test('status prints the Site from its status, as text, JSON and YAML', async () => {
    const text = await ok('status', '-n', 'west');
    expect(text.out).toContain('Site "west" in namespace west');
    expect(text.out).toContain('Ready');
    const json = JSON.parse((await ok('status', '-n', 'west', '-o', 'json')).out) as Record<string, unknown>;
    expect(json).toMatchObject({ site: 'west', namespace: 'west', platform: 'kubernetes', status: 'Ready', linkAccess: 'default', routerPods: [], links: [], incomingLinks: [] });
    expect(parse((await ok('status', '-n', 'west', '-o', 'yaml')).out)).toEqual(json);
    expectError(await skiff('status', '-n', 'east'), 3, 'SKIFF_ERR_SITE_NOT_FOUND');
  });

  test('token create makes an AccessGrant and writes an AccessToken file from its status', async () => {
    const file = join(home, 'west.token');
    const create = skiff('token', 'create', file, '-n', 'west', '--expiry', '30m', '--uses', '2', '--name', 'west-grant');
    await waitFor('AccessGrant west-grant', () => exists('accessgrant', 'west-grant', 'west'), 20_000);
    const grant = await get('accessgrant', 'west-grant', 'west');
    expect(grant.spec).toEqual({ redemptionsAllowed: 2, expirationWindow: '30m' });
    await setStatus('accessgrant', 'west-grant', 'west', { status: 'Ready', conditions: [cond('Processed', true), cond('Resolved', true)], url: `https://172.30.1.100:8081/${grant.metadata.uid}`, code: 'the-code', ca: ca.cert });
    const run = await create;
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('Grant "west-grant" is ready');
    expect(run.out).toContain(`Token file ${file} created`);
    expect(run.out).toContain('expires after 2 use(s) or after 30m');
    expect(parse(readFileSync(file, 'utf8'))).toEqual({ apiVersion: 'skupper.io/v2alpha1', kind: 'AccessToken', metadata: { name: 'west-grant' }, spec: { url: `https://172.30.1.100:8081/${grant.metadata.uid}`, code: 'the-code', ca: ca.cert } });
    const noAccess = await skiff('token', 'create', join(home, 'x.token'), '-n', 'slow');
    expectError(noAccess, 2, 'SKIFF_ERR_NO_INGRESS');
    expect(noAccess.err).toContain('skiff init -n slow --enable-link-access');
  });

  test('link create: an AccessToken file as is, a cert token as Secret and Link, anything else refused', async () => {
    await ok('init', '-n', 'east', '--no-wait');
    const token = await ok('link', 'create', join(home, 'west.token'), '-n', 'east', '--cost', '3');
    expect(token.out).toContain('Site configured to link to https://172.30.1.100:8081/');
    const accessToken = await get('accesstoken', 'west-grant', 'east');
    expect(accessToken.spec).toEqual({ url: expect.stringMatching(/^https:\/\/172\.30\.1\.100:8081\//), code: 'the-code', ca: ca.cert, linkCost: 3 });

    const client = issueCertificate(ca, { commonName: 'east', usage: 'client' });
    const certFile = join(home, 'cert.token');
    writeFileSync(certFile, certTokenYaml({ name: 'skupper', generatedBy: 'some-other-site', siteVersion: '0.1.0', interRouter: { host: '172.30.1.100', port: 55671 }, edge: { host: '172.30.1.100', port: 45671 }, cert: client.cert, key: client.key, ca: ca.cert }));
    const create = skiff('link', 'create', certFile, '-n', 'east', '--wait', '30');
    await waitFor('Link link1', () => exists('link', 'link1', 'east'), 20_000);
    await setStatus('link', 'link1', 'east', { status: 'Ready', message: 'OK', conditions: [cond('Configured', true), cond('Operational', true)], remoteSiteId: 'some-other-site', remoteSiteName: 'west' });
    const linked = await create;
    expect(linked.code, linked.err).toBe(0);
    expect(linked.err).toContain('waiting for: Link link1 operational');
    expect(linked.out).toContain('Link link1 is operational');
    const link = await get('link', 'link1', 'east');
    expect(link.spec).toEqual({ endpoints: [{ name: 'inter-router', host: '172.30.1.100', port: '55671' }, { name: 'edge', host: '172.30.1.100', port: '45671' }], tlsCredentials: 'link1' });
    const secret = await get('secret', 'link1', 'east');
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(Buffer.from(secret.data?.['tls.crt'] ?? '', 'base64').toString()).toBe(client.cert);

    const notToken = join(home, 'not-a-token.yaml');
    writeFileSync(notToken, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const bad = await skiff('link', 'create', notToken, '-n', 'east');
    expectError(bad, 2, 'SKIFF_ERR_TOKEN_INVALID');
    expect(bad.err).toContain(notToken);
  });

  test('link status shows the table and, with --wait, names the links not operational and why', async () => {
    await setStatus('accesstoken', 'west-grant', 'east', { status: 'Error', message: 'No such claim', conditions: [cond('Redeemed', false, 'No such claim')] });
    const table = await ok('link', 'status', '-n', 'east');
    expect(table.out).toMatch(/^NAME\s+STATUS\s+COST\s+MESSAGE$/m);
    expect(table.out).toMatch(/^link1\s+Ready\s+1\s+OK$/m);
    await setStatus('link', 'link1', 'east', { status: 'Pending', message: 'Not operational', conditions: [cond('Configured', true), cond('Operational', false, 'connection refused by 172.30.1.100:55671')] });
    const waited = await skiff('link', 'status', 'link1', '-n', 'east', '--wait', '3');
    expectError(waited, 7, 'SKIFF_ERR_TIMEOUT');
    expect(waited.err).toContain('Link link1 operational (connection refused by 172.30.1.100:55671)');
    const json = JSON.parse((await ok('link', 'status', '-n', 'east', '-o', 'json')).out) as { links: { name: string; operational: boolean }[] };
    expect(json.links).toEqual([expect.objectContaining({ name: 'link1', operational: false, status: 'Pending' })]);
    expectError(await skiff('link', 'status', 'nope', '-n', 'east'), 3, 'SKIFF_ERR_LINK_NOT_FOUND');
  });

  test('network status and version read the Site status', async () => {
    const west = await get('site', 'west', 'west');
    await setStatus('site', 'west', 'west', {
      network: [
        { id: west.metadata.uid, name: 'west', namespace: 'west', platform: 'kubernetes', version: '9.9.9', services: [{ routingKey: 'hello', listeners: ['hello'] }] },
        { id: 'e-id', name: 'east', namespace: 'east', platform: 'kubernetes', links: [{ name: 'to-west', remoteSiteId: west.metadata.uid, operational: true }] },
      ],
    });
    const text = await ok('network', 'status', '-n', 'west');
    expect(text.out).toContain(`[local] west (${west.metadata.uid})`);
    expect(text.out).toContain('[remote] east (e-id)');
    expect(text.out).toContain('direction: incoming');
    const json = JSON.parse((await ok('network', 'status', '-n', 'west', '-o', 'json')).out) as { sites: { name: string; links: { direction: string }[] }[] };
    expect(json.sites.map((s) => s.name)).toEqual(['west', 'east']);
    const incoming = await ok('link', 'status', '-n', 'west');
    expect(incoming.out).toContain('Incoming link to-west from site east (namespace east) is connected');
    const version = JSON.parse((await ok('version', '-n', 'west', '-o', 'json')).out) as Record<string, unknown>;
    expect(version).toMatchObject({ controller: { version: '9.9.9' } });
  });

  test('debug dump holds the skupper.io objects, Secrets by name only, and no token codes', async () => {
    const file = join(home, 'east-dump.tar.gz');
    const run = await ok('debug', 'dump', file, '-n', 'east');
    expect(run.out).toContain(`written to ${file}`);
    const files = readTarGz(file);
    expect([...files.keys()]).toEqual(expect.arrayContaining(['dump.json', 'skupper/sites/east.yaml', 'skupper/links/link1.yaml', 'skupper/accesstokens/west-grant.yaml', 'kube/secrets.yaml', 'kube/events.yaml', 'commands/status.json']));
    const all = [...files.values()].map((b) => b.toString()).join('\n');
    expect(all).not.toContain('the-code');
    expect(all).not.toContain('PRIVATE KEY');
    expect(parse(files.get('kube/secrets.yaml')?.toString() ?? '')).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'link1', type: 'kubernetes.io/tls', keys: ['ca.crt', 'tls.crt', 'tls.key'] })]));
  });

  test('API failures: a forbidden namespace names verb and resource; an unreachable server says so', async () => {
    const user = await tb.namespacedUser('c1', { user: 'east-only', namespace: 'east' });
    const own = await skiff('status', '--kubeconfig', user, '-o', 'json');
    expect(own.code, own.err).toBe(0);
    expect(JSON.parse(own.out)).toMatchObject({ namespace: 'east' });
    const refused = await skiff('status', '-n', 'west', '--kubeconfig', user);
    expectError(refused, 7, 'SKIFF_ERR_KUBE_FORBIDDEN');
    expect(refused.err).toContain('list sites.skupper.io in namespace west');
    expect(refused.err).toContain('kubectl create role');
    const dead = join(home, 'dead.kubeconfig');
    writeFileSync(dead, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'd', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'd', context: { cluster: 'd', user: 'u' } }], 'current-context': 'd' }));
    expectError(await skiff('status', '--kubeconfig', dead), 7, 'SKIFF_ERR_KUBE_UNREACHABLE');
    expectError(await skiff('status', '--kubeconfig', dead, '--context', 'nope'), 2, 'SKIFF_ERR_KUBE_CONFIG');
  });

  test('link delete removes the Link with the Secret the CLI made, and the AccessToken', async () => {
    expect((await ok('link', 'delete', 'link1', '-n', 'east')).out).toBe("Link 'link1' has been removed");
    expect((await ok('link', 'delete', 'west-grant', '-n', 'east')).out).toBe("Link 'west-grant' has been removed");
    await waitFor('link1 and its Secret gone', async () => !(await exists('link', 'link1', 'east')) && !(await exists('secret', 'link1', 'east')), 20_000);
    expect(await names('accesstokens', 'east')).toEqual([]);
    expectError(await skiff('link', 'delete', 'link1', '-n', 'east'), 3, 'SKIFF_ERR_LINK_NOT_FOUND');
  });

  test('delete removes the Site, the links and tokens (also those applied with kubectl), and waits until nothing of Skiff is left', async () => {
    const applied = await kubectl(admin, ['apply', '-n', 'west', '-f', '-'], JSON.stringify({ apiVersion: 'skupper.io/v2alpha1', kind: 'AccessToken', metadata: { name: 'by-hand' }, spec: { url: 'https://172.30.2.100:8081/x', code: 'c', ca: ca.cert } }));
    expect(applied.code, applied.stderr).toBe(0);
    const run = await ok('delete', '-n', 'west', '--timeout', '60s');
    expect(run.out).toMatch(/Site "west" is now removed from namespace west \(nothing of Skiff's left/);
    for (const kind of ['sites', 'accessgrants', 'links', 'accesstokens']) expect(await names(kind, 'west')).toEqual([]);
    expect((await kubectl(admin, ['get', 'all,secrets,configmaps', '-n', 'west', '-l', 'app.kubernetes.io/part-of=skiff', '-o', 'name'])).stdout.trim()).toBe('');
    expectError(await skiff('delete', '-n', 'west'), 3, 'SKIFF_ERR_SITE_NOT_FOUND');
  });

  test('local-only commands refuse a Kubernetes site', async () => {
    const run = await skiff('start', '-n', 'east');
    expectError(run, 2, 'SKIFF_ERR_USAGE');
    expect(run.err).toContain('works on local sites only');
  });
});
