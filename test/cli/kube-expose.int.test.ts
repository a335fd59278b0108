/**
 * `skiff expose`, `unexpose` and `service …` on a Kubernetes site against the test bed's real
 * kube-apiserver, with Skiff's CRDs and no controller: the CLI makes exactly the Listeners and
 * Connectors of ADR 0005, refuses bad input with clear errors, and answers `-o json` in the local
 * sites' shapes (json-keys.snapshot.json). The CLI runs in-process with its own environment.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../cli/src/cli.js';
import { jsonKeyPaths } from '../support/json-key-paths.js';
import { apply, getJson, kubectl, skipWithoutComponents, waitFor } from '../testbed/helpers.js';
import { REPO_ROOT } from '../testbed/src/paths.js';
import { startTestbed, type Testbed } from '../testbed/src/testbed.js';
import { inertPlatform } from './cli-harness.js';

const NS = 'east';
const home = mkdtempSync(join(tmpdir(), 'skiff-kube-expose-'));
const snapshot = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'cli', 'json-keys.snapshot.json'), 'utf8')) as Record<string, string[]>;
let tb: Testbed;
let admin: string;

interface Run {
  code: number;
  out: string;
  err: string;
}

async function skiff(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const env = { PATH: process.env.PATH, HOME: home, SKIFF_HOME: join(home, 'skiff') };
  const code = await runCli([...args, '--kubeconfig', admin], { env, out: (l) => out.push(l), err: (l) => err.push(l), platform: inertPlatform, now: () => new Date() });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function json(...args: string[]): Promise<Record<string, unknown>> {
  const run = await skiff(...args, '-n', NS, '-o', 'json');
  if (run.code !== 0) throw new Error(`skiff ${args.join(' ')} exited ${run.code}: ${run.err}`);
  return JSON.parse(run.out) as Record<string, unknown>;
}

function expectError(run: Run, exit: number, code: string): void {
  expect(run.code, run.err).toBe(exit);
  expect(run.err).toMatch(new RegExp(`^Error: .+ \\[${code}\\]\\nHint: \\S[^\\n]*$`));
}

interface Obj {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

async function objects(kind: 'listeners' | 'connectors'): Promise<Obj[]> {
  return (await getJson<{ items: Obj[] }>(admin, [kind, '-n', NS])).items;
}

async function specs(kind: 'listeners' | 'connectors'): Promise<Record<string, unknown>> {
  return Object.fromEntries((await objects(kind)).map((o) => [o.metadata.name, o.spec]));
}

function deployment(name: string, ports: number[]): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'skiff-testbed/hello', ports: ports.map((containerPort) => ({ containerPort })) }] } },
    },
  };
}

const cliLabels = { 'app.kubernetes.io/part-of': 'skiff', 'app.kubernetes.io/managed-by': 'skiff-cli', 'skiff.io/exposed-by': 'skiff-cli' };

describe.skipIf(skipWithoutComponents())('kube expose - the CLI makes the Listeners and Connectors of ADR 0005', () => {
  beforeAll(async () => {
    tb = await startTestbed({ clusters: 1 });
    admin = tb.clusters[0]!.kubeconfig;
    expect((await kubectl(admin, ['apply', '-f', join(REPO_ROOT, 'charts', 'skiff', 'crds')])).code).toBe(0);
    for (const ns of [NS, 'empty']) expect((await kubectl(admin, ['create', 'namespace', ns])).code).toBe(0);
    await waitFor('the skupper.io CRDs to be served', async () => (await kubectl(admin, ['get', 'sites,listeners,connectors', '-n', NS])).code === 0, 30_000);
    await apply(admin, [{ apiVersion: 'skupper.io/v2alpha1', kind: 'Site', metadata: { name: 'east' } }], NS);
    await apply(
      admin,
      [
        deployment('hello', [8080]),
        deployment('multi', [8080, 9090]),
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'taken' }, spec: { selector: { app: 'taken' }, ports: [{ port: 80 }] } },
        {
          apiVersion: 'skupper.io/v2alpha1',
          kind: 'Listener',
          metadata: { name: 'remote', labels: { 'skiff.io/service-sync': 'synced', 'skiff.io/address': 'remote' }, annotations: { 'skiff.io/origin-site': 'uid-west', 'skiff.io/origin-site-name': 'west' } },
          spec: { routingKey: 'remote', host: 'remote', port: 7070 },
        },
      ],
      NS,
    );
  }, 180_000);

  afterAll(async () => {
    await tb?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  test('expose deployment/hello --port 8080: a Listener and a Connector named hello, routing key hello', async () => {
    const result = await json('expose', 'deployment/hello', '--port', '8080');
    expect(result).toEqual({ site: 'east', address: 'hello', target: 'deployment/hello', ports: [{ port: 8080, targetPort: 8080 }], listeners: ['hello'], connectors: ['hello'], applied: false });
    const [listener] = (await objects('listeners')).filter((l) => l.metadata.name === 'hello');
    expect(listener?.metadata.labels).toEqual({ ...cliLabels, 'skiff.io/service-sync': 'announce', 'skiff.io/address': 'hello' });
    expect(listener?.spec).toEqual({ routingKey: 'hello', host: 'hello', port: 8080 });
    const [connector] = (await objects('connectors')).filter((c) => c.metadata.name === 'hello');
    expect(connector?.metadata.labels).toEqual({ ...cliLabels, 'skiff.io/address': 'hello' });
    expect(connector?.spec).toEqual({ routingKey: 'hello', port: 8080, selector: 'app=hello' });
  });

  test("the two-word form, several ports from the containers' own, and P:T", async () => {
    await json('expose', 'deployment', 'multi');
    expect(await specs('listeners')).toMatchObject({ 'multi-8080': { routingKey: 'multi:8080', host: 'multi', port: 8080 }, 'multi-9090': { routingKey: 'multi:9090', host: 'multi', port: 9090 } });
    await json('expose', 'deployment', 'multi', '--address', 'mapped', '--port', '80:8080', '--port', '91:9090');
    expect(await specs('connectors')).toMatchObject({ 'mapped-80': { routingKey: 'mapped:80', port: 8080, selector: 'app=multi' }, 'mapped-91': { routingKey: 'mapped:91', port: 9090, selector: 'app=multi' } });
  });

  test('expose service/web as web takes it over: the Listener asks, the Connector selects its pods on its target port', async () => {
    await json('expose', 'service/web');
    const listener = (await objects('listeners')).find((l) => l.metadata.name === 'web');
    expect(listener?.metadata.annotations).toEqual({ 'skiff.io/take-over-service': 'true' });
    expect((await specs('connectors'))['web']).toEqual({ routingKey: 'web', port: 8080, selector: 'app=web' });
  });

  test('pods by selector, and a host, need an address or take it from the host', async () => {
    expectError(await skiff('expose', 'pods', '--selector', 'app=hello', '--port', '8080', '-n', NS), 2, 'SKIFF_ERR_USAGE');
    await json('expose', 'pods/app=hello', '--address', 'by-label', '--port', '8080');
    expect((await specs('connectors'))['by-label']).toEqual({ routingKey: 'by-label', port: 8080, selector: 'app=hello' });
    const host = await json('expose', 'host', 'db.example.com', '--port', '5432', '--address', 'db');
    expect(jsonKeyPaths(host)).toEqual(snapshot['expose host']);
    expect((await specs('connectors'))['db']).toEqual({ routingKey: 'db', port: 5432, host: 'db.example.com' });
  });

  test('bad input: a missing Deployment, a bad port, an address taken here or by another site, a Service that is not Skiff’s', async () => {
    const missing = await skiff('expose', 'deployment/missing', '--port', '8080', '-n', NS);
    expectError(missing, 3, 'SKIFF_ERR_TARGET_NOT_FOUND');
    expect(missing.err).toContain('no Deployment named "missing" in namespace east');
    expect(missing.err).toContain("'kubectl get deployments -n east' lists them");
    for (const port of ['0', '65536', '80:', 'http']) {
      const run = await skiff('expose', 'deployment/hello', '--address', 'other', '--port', port, '-n', NS);
      expectError(run, 2, 'SKIFF_ERR_USAGE');
      expect(run.err).toContain('give PORT or PORT:TARGETPORT, each 1-65535');
    }
    const again = await skiff('expose', 'deployment', 'hello', '-n', NS);
    expectError(again, 4, 'SKIFF_ERR_SERVICE_EXISTS');
    expect(again.err).toContain("address 'hello' is already exposed on site 'east' (Listener hello, made by skiff expose or skiff service create)");
    const remote = await skiff('expose', 'deployment/hello', '--address', 'remote', '-n', NS);
    expectError(remote, 4, 'SKIFF_ERR_SERVICE_EXISTS');
    expect(remote.err).toContain("address 'remote' is already defined by site 'west'");
    const foreign = await skiff('expose', 'deployment/hello', '--address', 'taken', '-n', NS);
    expectError(foreign, 4, 'SKIFF_ERR_SERVICE_EXISTS');
    expect(foreign.err).toContain("'skiff expose service taken' takes it over");
    expectError(await skiff('expose', 'deployment/hello', '-n', 'empty'), 3, 'SKIFF_ERR_SITE_NOT_FOUND');
    expectError(await skiff('expose', 'replicaset/hello', '-n', NS), 2, 'SKIFF_ERR_USAGE');
    // Nothing was made by the refused commands.
    expect((await objects('listeners')).map((l) => l.metadata.name).sort()).toEqual(['by-label', 'db', 'hello', 'mapped-80', 'mapped-91', 'multi-8080', 'multi-9090', 'remote', 'web']);
  });

  test('service status: local and synced services in the local sites’ shape, with targets', async () => {
    const bound = await json('service', 'bind', 'remote', 'host', '10.1.2.3', '--port', '7071');
    expect(jsonKeyPaths(bound)).toEqual(snapshot['service bind']);
    expectError(await skiff('service', 'bind', 'remote', 'host', '10.1.2.3', '--port', '7071', '-n', NS), 4, 'SKIFF_ERR_TARGET_EXISTS');
    const status = await json('service', 'status');
    expect(jsonKeyPaths(status)).toEqual(snapshot['service status (local, and synced with a target)']);
    const services = status.services as { address: string; port: number; origin: string; originSiteName: string; targets: unknown[] }[];
    expect(services.find((s) => s.address === 'remote')).toMatchObject({ port: 7070, origin: 'remote', originSiteName: 'west', targets: [{ host: '10.1.2.3', port: 7071 }] });
    expect(services.find((s) => s.address === 'db')).toMatchObject({ port: 5432, origin: 'local', originSiteName: 'east', targets: [{ host: 'db.example.com', port: 5432 }] });
    expect(services.filter((s) => s.address === 'multi').map((s) => s.port)).toEqual([8080, 9090]);
    const text = await skiff('service', 'status', '-n', NS);
    expect(text.out).toContain('remote:7070 (tcp)');
    expect(text.out).toContain('origin: site west');
    const unbound = await json('service', 'unbind', 'remote', 'host', '10.1.2.3');
    expect(jsonKeyPaths(unbound)).toEqual(snapshot['service unbind']);
    expect(Object.keys(await specs('connectors'))).not.toContain('remote-10.1.2.3');
  });

  test('service create and delete: a Listener with no Connector, gone again; a synced service is deleted where it was defined', async () => {
    const created = await json('service', 'create', 'queue', '5672');
    expect(jsonKeyPaths(created)).toEqual(snapshot['service create']);
    expect((await specs('listeners'))['queue']).toEqual({ routingKey: 'queue', host: 'queue', port: 5672 });
    expect(Object.keys(await specs('connectors'))).not.toContain('queue');
    expectError(await skiff('service', 'create', 'queue', '5673', '-n', NS), 4, 'SKIFF_ERR_SERVICE_EXISTS');
    expectError(await skiff('service', 'create', 'queue2', '5673', '--host', '0.0.0.0', '-n', NS), 2, 'SKIFF_ERR_USAGE');
    const deleted = await json('service', 'delete', 'queue');
    expect(jsonKeyPaths(deleted)).toEqual(snapshot['service delete']);
    expect(Object.keys(await specs('listeners'))).not.toContain('queue');
    const synced = await skiff('service', 'delete', 'remote', '-n', NS);
    expectError(synced, 3, 'SKIFF_ERR_SERVICE_NOT_FOUND');
    expect(synced.err).toContain("a synced service is unexposed or deleted on its origin site ('west')");
  });

  test('unexpose removes what expose made, in both forms; again, or for what it did not make, is a clear error', async () => {
    const gone = await json('unexpose', 'deployment/hello');
    expect(gone).toEqual({ site: 'east', address: 'hello', target: 'deployment/hello', listeners: ['hello'], connectors: ['hello'], applied: false });
    await json('unexpose', 'deployment', 'multi');
    await json('unexpose', 'deployment', 'multi', '--address', 'mapped');
    await json('unexpose', 'service/web');
    await json('unexpose', 'pods', '--address', 'by-label');
    expect(jsonKeyPaths(await json('unexpose', 'host', 'db.example.com'))).toEqual(snapshot['unexpose host']);
    expect(Object.keys(await specs('listeners'))).toEqual(['remote']);
    expect(Object.keys(await specs('connectors'))).toEqual([]);
    expectError(await skiff('unexpose', 'deployment/hello', '-n', NS), 3, 'SKIFF_ERR_SERVICE_NOT_FOUND');
    expectError(await skiff('unexpose', 'deployment/hello', '--address', 'remote', '-n', NS), 3, 'SKIFF_ERR_SERVICE_NOT_FOUND');
  });
});
