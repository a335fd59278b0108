/**
 * The chart on a real kube-apiserver (test bed, one cluster): `helm install` puts the CRDs of
 * crds/ in place and the controller's rights stay in its namespace; Skupper v2 YAML applies
 * unchanged and keeps every field; status is a subresource with Skupper's printer columns.
 * The manifests only: no controller pod runs here.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { getJson, kubectl, skipWithoutComponents } from '../testbed/helpers.js';
import { binary, REPO_ROOT } from '../testbed/src/paths.js';
import { startTestbed, type Testbed } from '../testbed/src/testbed.js';

const CHART = join(REPO_ROOT, 'charts/skiff');
const NS = 'west';
const OTHER_NS = 'east';
/** The controller running under the chart is test/kube/sites.int.test.ts's subject; here only RBAC and the API are. */
const NO_CONTROLLER = ['--set', 'replicas=0'];
/** Where the Skupper examples go: no chart is installed there. */
const API_NS = 'api-only';
const CONTROLLER = `system:serviceaccount:${NS}:skiff-site-controller`;
const PLURALS = ['sites', 'links', 'accessgrants', 'accesstokens', 'routeraccesses', 'listeners', 'connectors'];

interface Resource {
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

const examples = parseAllDocuments(readFileSync(join(REPO_ROOT, 'test/charts/fixtures/skupper-v2-examples.yaml'), 'utf8')).map(
  (d) => d.toJS() as Resource,
);

function helm(kubeconfig: string, args: readonly string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(binary('helm'), ['--kubeconfig', kubeconfig, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? 1 : 0, out: stdout + stderr });
    });
  });
}

describe.skipIf(skipWithoutComponents())('chart on a cluster', () => {
  let tb: Testbed | undefined;
  let kc = '';
  const must = async (args: readonly string[], input?: string): Promise<string> => {
    const result = await kubectl(kc, args, input);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  const canI = async (args: readonly string[]): Promise<boolean> => (await kubectl(kc, ['auth', 'can-i', `--as=${CONTROLLER}`, ...args])).code === 0;

  beforeAll(async () => {
    tb = await startTestbed({ clusters: 1 });
    kc = tb.clusters[0]?.kubeconfig ?? '';
    await must(['create', 'namespace', NS]);
    await must(['create', 'namespace', OTHER_NS]);
    await must(['create', 'namespace', API_NS]);
    const install = await helm(kc, ['install', 'skiff', CHART, '-n', NS, ...NO_CONTROLLER]);
    if (install.code !== 0) throw new Error(`helm install failed: ${install.out}`);
    await must(['wait', '--for=condition=Established', '--timeout=30s', ...PLURALS.map((p) => `crd/${p}.skupper.io`)]);
  }, 180_000);

  afterAll(async () => {
    await tb?.stop();
  }, 120_000);

  test('chart on a cluster - helm install makes the CRDs and namespaced RBAC, no cluster role', async () => {
    const crds = await getJson<{ items: { metadata: { name: string } }[] }>(kc, ['crd']);
    expect(crds.items.map((c) => c.metadata.name)).toEqual(expect.arrayContaining(PLURALS.map((p) => `${p}.skupper.io`)));
    const clusterRoles = await getJson<{ items: unknown[] }>(kc, ['clusterrole', '-l', 'app.kubernetes.io/part-of=skiff']);
    expect(clusterRoles.items).toEqual([]);
    expect(await must(['get', 'role,rolebinding,serviceaccount,deployment', '-n', NS, '-o', 'name'])).toMatch(
      /role.rbac.authorization.k8s.io\/skiff-site-controller[\s\S]*deployment.apps\/skiff-site-controller/,
    );
  });

  test('chart on a cluster - a user holding only a namespaced Role installs the chart with --skip-crds once the CRDs exist', async () => {
    const user = await tb!.namespacedUser('c1', { user: 'site-admin', namespace: OTHER_NS });
    // Helm creates crds/ even when they exist, and creating is a cluster-scoped right: hence --skip-crds.
    const refused = await helm(user, ['install', 'skiff', CHART, '-n', OTHER_NS, ...NO_CONTROLLER]);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('cannot create resource "customresourcedefinitions"');
    const install = await helm(user, ['install', 'skiff', CHART, '-n', OTHER_NS, '--skip-crds', ...NO_CONTROLLER]);
    expect(install.code, install.out).toBe(0);
    expect(await must(['get', 'role,rolebinding,deployment', '-n', OTHER_NS, '-o', 'name'])).toContain('deployment.apps/skiff-site-controller');
  });

  test('chart on a cluster - the controller may act in its namespace only', async () => {
    expect(await canI(['list', 'sites.skupper.io', '-n', NS])).toBe(true);
    expect(await canI(['patch', 'sites.skupper.io', '--subresource=status', '-n', NS])).toBe(true);
    expect(await canI(['create', 'leases.coordination.k8s.io', '-n', NS])).toBe(true);
    expect(await canI(['list', 'sites.skupper.io', '-n', OTHER_NS])).toBe(false);
    expect(await canI(['list', 'sites.skupper.io', '--all-namespaces'])).toBe(false);
    expect(await canI(['list', 'nodes'])).toBe(false);
    expect(await canI(['list', 'namespaces'])).toBe(false);
  });

  test('chart on a cluster - the controller can grant a Role with its own rules, and no more', async () => {
    const own = await getJson<{ rules: object[] }>(kc, ['role', 'skiff-site-controller', '-n', NS]);
    const role = (name: string, rules: object[]) => stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: NS }, rules });
    await must(['create', `--as=${CONTROLLER}`, '-f', '-'], role('router-like', own.rules));
    const more = await kubectl(kc, ['create', `--as=${CONTROLLER}`, '-f', '-'], role('too-much', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]));
    expect(more.code).not.toBe(0);
    expect(more.stderr).toMatch(/forbidden|escalat/i);
  });

  test('chart on a cluster - Skupper v2 YAML applies unchanged and keeps every field', async () => {
    await must(['apply', '-n', API_NS, '-f', join(REPO_ROOT, 'test/charts/fixtures/skupper-v2-examples.yaml')]);
    for (const example of examples) {
      const stored = await getJson<Resource>(kc, [example.kind.toLowerCase() + '.skupper.io', example.metadata.name, '-n', API_NS]);
      expect(stored.spec, `${example.kind} ${example.metadata.name}`).toEqual(example.spec);
    }
  });

  test('chart on a cluster - status is a subresource and kubectl get shows Skupper columns', async () => {
    const condition = { type: 'Ready', status: 'True', reason: 'Ready', message: 'OK', observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:00Z' };
    const status = { status: 'Ready', message: 'OK', sitesInNetwork: 2, conditions: [condition], endpoints: [{ name: 'inter-router', host: '172.30.1.100', port: '55671', group: 'skupper-router' }] };
    await must(['patch', 'site', 'west', '-n', API_NS, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]);
    // Through the main resource, status is ignored.
    await must(['patch', 'site', 'west', '-n', API_NS, '--type=merge', '-p', JSON.stringify({ status: { message: 'not here' } })]);
    const site = await getJson<{ status: typeof status }>(kc, ['site', 'west', '-n', API_NS]);
    expect(site.status).toEqual(status);
    const table = (await must(['get', 'site', 'west', '-n', API_NS])).split('\n');
    expect(table[0]?.split(/\s{2,}/)).toEqual(['NAME', 'STATUS', 'SITES IN NETWORK', 'MESSAGE']);
    expect(table[1]?.split(/\s+/)).toEqual(['west', 'Ready', '2', 'OK']);
    expect((await must(['get', 'accessgrant', 'grant-west', '-n', API_NS])).split('\n')[0]).toMatch(/REDEMPTIONS ALLOWED\s+REDEMPTIONS MADE\s+EXPIRATION\s+STATUS\s+MESSAGE/);
  });

  test('chart on a cluster - the schemas refuse wrong types and missing required fields, naming the field', async () => {
    const refused = async (doc: object, field: RegExp) => {
      const result = await kubectl(kc, ['apply', '-n', API_NS, '-f', '-'], stringify(doc));
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(field);
    };
    const v2 = { apiVersion: 'skupper.io/v2alpha1' };
    await refused({ ...v2, kind: 'Site', metadata: { name: 'bad-site' }, spec: { ha: 'sometimes' } }, /spec\.ha/);
    await refused({ ...v2, kind: 'AccessToken', metadata: { name: 'bad-token' }, spec: { url: 'https://x/1', ca: 'pem' } }, /spec\.code: Required value/);
    await refused({ ...v2, kind: 'Link', metadata: { name: 'bad-link' }, spec: { cost: 'cheap' } }, /spec\.(cost|endpoints)/);
    await refused({ ...v2, kind: 'Connector', metadata: { name: 'bad-connector' }, spec: { routingKey: 'k', port: 80 } }, /spec/);
    await refused({ ...v2, kind: 'AccessGrant', metadata: { name: 'bad-grant' }, spec: { expirationWindow: 'soon' } }, /spec\.expirationWindow/);
    // Go durations as Skupper users and Go's own formatting write them.
    for (const [i, window] of ['1h30m', '15m0s', '90s'].entries()) {
      await must(['apply', '-n', API_NS, '-f', '-'], stringify({ ...v2, kind: 'AccessGrant', metadata: { name: `grant-${i}` }, spec: { expirationWindow: window } }));
    }
  });
});
