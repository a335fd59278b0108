/**
 * The controller runtime against the test bed's real kube-apiserver: informers, queue and controller
 * with a trivial Site reconciler that writes status (a conflicting write, an injected failure), leader
 * election between two replicas, a watch refused by RBAC, and the built entry point under SIGTERM.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoordinationV1Api, CustomObjectsApi, KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { GROUP, Plural, VERSION, type Site } from '../../common/src/kube-api/types.js';
import type { CacheName, ControllerContext, ReconcilerRegistration } from '../../site-controller/src/runtime/context.js';
import { LeaderElector } from '../../site-controller/src/runtime/leader-election.js';
import { Manager, type ManagerOptions } from '../../site-controller/src/runtime/manager.js';
import type { ObjectKey, Reconciler } from '../../site-controller/src/runtime/reconciler.js';
import { apply, kubectl, skipWithoutComponents, waitFor } from '../testbed/helpers.js';
import { startTestbed, type Testbed } from '../testbed/src/testbed.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CRDS = join(ROOT, 'charts', 'skiff', 'crds');

let tb: Testbed;
let admin: string;
let kc: KubeConfig;

/** Counts reconciles per Site and writes `status.message` through the status subresource. */
class SiteStatusWriter implements Reconciler {
  readonly kind = 'Site';
  readonly attempts = new Map<string, number[]>();
  /** Site name → how many reconciles of it throw before one succeeds. */
  readonly failFirst = new Map<string, number>();
  /** Sites whose first write finds the object changed under it (a 409). */
  readonly conflictOnce = new Set<string>();

  constructor(private readonly ctx: ControllerContext) {}

  async reconcile(key: ObjectKey): Promise<undefined> {
    const site = this.ctx.caches.sites.get(key.namespace, key.name);
    if (!site) return undefined;
    this.attempts.set(key.name, [...(this.attempts.get(key.name) ?? []), Date.now()]);
    const failures = this.failFirst.get(key.name) ?? 0;
    if (failures > 0) {
      this.failFirst.set(key.name, failures - 1);
      throw new Error('injected failure');
    }
    if (this.conflictOnce.delete(key.name)) {
      const bumped = await kubectl(admin, ['annotate', '-n', key.namespace, 'sites', key.name, `bump=${Date.now()}`, '--overwrite']);
      if (bumped.code !== 0) throw new Error(bumped.stderr);
    }
    const message = `reconciled generation ${site.metadata.generation}`;
    if (site.status?.message === message) return undefined;
    const api = this.ctx.kubeConfig.makeApiClient(CustomObjectsApi);
    const body = { ...site, status: { ...site.status, status: 'Ready', message } };
    await api.replaceNamespacedCustomObjectStatus({ group: GROUP, version: VERSION, namespace: key.namespace, plural: Plural.Site, name: key.name, body });
    return undefined;
  }

  count(name: string): number {
    return this.attempts.get(name)?.length ?? 0;
  }
}

interface Running {
  manager: Manager;
  writer: SiteStatusWriter;
  logs: string[];
}

async function startManager(namespace: string, overrides: Partial<ManagerOptions> = {}, caches: readonly CacheName[] = ['sites', 'configMaps', 'services']): Promise<Running> {
  const logs: string[] = [];
  let writer: SiteStatusWriter | undefined;
  const registrations = (ctx: ControllerContext): ReconcilerRegistration[] => {
    writer = new SiteStatusWriter(ctx);
    const toSite = (o: { metadata?: { namespace?: string; labels?: Record<string, string> } }) => {
      const site = o.metadata?.labels?.['skupper.io/site'];
      return site ? [{ namespace: o.metadata?.namespace ?? '', name: site }] : [];
    };
    return [{ reconciler: writer, primary: 'sites', watches: [{ cache: 'configMaps', map: toSite }] }];
  };
  const manager = new Manager({
    kubeConfig: kc,
    settings: { namespace, watchNamespaces: [namespace], routerImage: 'r', adaptorImage: 'a', serviceControllerImage: 's', nodePortHost: undefined, controllerName: 'test', version: '0' },
    log: (line) => logs.push(line),
    registrations,
    identity: `test-${namespace}-${Math.random().toString(36).slice(2, 8)}`,
    healthPort: 0,
    healthHost: '127.0.0.1',
    caches,
    ...overrides,
  });
  onTestFinished(() => manager.stop());
  await manager.start();
  return { manager, writer: writer as SiteStatusWriter, logs };
}

async function namespace(name: string): Promise<void> {
  const result = await kubectl(admin, ['create', 'namespace', name]);
  if (result.code !== 0 && !result.stderr.includes('AlreadyExists')) throw new Error(result.stderr);
}

const site = (name: string): object => ({ apiVersion: `${GROUP}/${VERSION}`, kind: 'Site', metadata: { name }, spec: {} });

async function siteStatus(ns: string, name: string): Promise<string | undefined> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const s = (await api.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: Plural.Site, name })) as Site;
  return s.status?.message;
}

async function lease(ns: string): Promise<V1Lease> {
  return kc.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: 'skiff-site-controller', namespace: ns });
}

async function scrape(port: number, path: string): Promise<[number, string]> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return [res.status, await res.text()];
}

function metric(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : Number.NaN;
}

describe.skipIf(skipWithoutComponents())('site-controller runtime - on the test bed apiserver', () => {
  beforeAll(async () => {
    tb = await startTestbed({ clusters: 1 });
    admin = tb.clusters[0]!.kubeconfig;
    kc = tb.clusters[0]!.kc;
    const crds = await kubectl(admin, ['apply', '-f', CRDS]);
    if (crds.code !== 0) throw new Error(crds.stderr);
    await waitFor('Site CRD established', async () => (await kubectl(admin, ['wait', '--for=condition=Established', 'crd/sites.skupper.io', '--timeout=5s'])).code === 0, 30_000);
  }, 180_000);

  afterAll(async () => {
    await tb?.stop();
  }, 60_000);

  test('runtime - reconciles to convergence: status written, spec changes and watched objects enqueue the Site, metrics and readyz', async () => {
    const ns = 'rt-converge';
    await namespace(ns);
    const { manager, writer } = await startManager(ns);
    await waitFor('controllers running', () => manager.running, 30_000);
    await apply(admin, [site('s1')], ns);
    await waitFor('s1 status for generation 1', async () => (await siteStatus(ns, 's1')) === 'reconciled generation 1', 20_000);

    const patched = await kubectl(admin, ['patch', '-n', ns, 'sites', 's1', '--type=merge', '-p', '{"spec":{"linkAccess":"default"}}']);
    expect(patched.code, patched.stderr).toBe(0);
    await waitFor('s1 status for generation 2', async () => (await siteStatus(ns, 's1')) === 'reconciled generation 2', 20_000);

    const before = writer.count('s1');
    await apply(admin, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'skupper.io/site': 's1' } }, data: { a: '1' } }], ns);
    await waitFor('a labelled ConfigMap enqueues its Site', () => writer.count('s1') > before, 20_000);

    // Services are watched with the part-of label only.
    const svc = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec: { ports: [{ port: 80 }] } });
    await apply(admin, [svc('plain', {}), svc('labelled', { 'app.kubernetes.io/part-of': 'skiff' })], ns);
    await waitFor('labelled Service cached', () => manager.context.caches.services.get(ns, 'labelled') !== undefined, 20_000);
    expect(manager.context.caches.services.get(ns, 'plain')).toBeUndefined();
    expect(manager.context.caches.services.list(ns).map((s) => s.metadata?.name)).toEqual(['labelled']);

    const [ready] = await scrape(manager.healthPort, '/readyz');
    expect(ready).toBe(200);
    const [, text] = await scrape(manager.healthPort, '/metrics');
    expect(metric(text, 'skiff_reconcile_total{kind="Site",result="success"}')).toBeGreaterThanOrEqual(3);
    expect(metric(text, 'skiff_reconcile_errors_total{kind="Site"}')).toBe(0);
    expect(metric(text, 'skiff_workqueue_depth{kind="Site"}')).toBe(0);
    expect(metric(text, 'skiff_leader')).toBe(1);
  }, 120_000);

  test('runtime - a status write that conflicts (409) is retried and converges; a throwing reconcile is retried with doubling backoff', async () => {
    const ns = 'rt-retry';
    await namespace(ns);
    const { manager, writer, logs } = await startManager(ns);
    await waitFor('controllers running', () => manager.running, 30_000);
    writer.conflictOnce.add('conflict');
    writer.failFirst.set('flaky', 3);
    await apply(admin, [site('conflict'), site('flaky')], ns);
    await waitFor('conflict converged', async () => (await siteStatus(ns, 'conflict')) === 'reconciled generation 1', 30_000);
    await waitFor('flaky converged', async () => (await siteStatus(ns, 'flaky')) === 'reconciled generation 1', 30_000);

    expect(logs.some((l) => l.startsWith(`Site ${ns}/conflict: reconcile conflict (changed meanwhile); retry 1 in`))).toBe(true);
    const t = writer.attempts.get('flaky') ?? [];
    expect(t.length).toBeGreaterThanOrEqual(4);
    const gaps = [t[1]! - t[0]!, t[2]! - t[1]!, t[3]! - t[2]!];
    // 100, 200, 400 ms: each wait at least its backoff (a few ms of timer slack allowed).
    expect(gaps[0]).toBeGreaterThanOrEqual(95);
    expect(gaps[1]).toBeGreaterThanOrEqual(195);
    expect(gaps[2]).toBeGreaterThanOrEqual(395);
    expect(logs.filter((l) => l.startsWith(`Site ${ns}/flaky: reconcile failed: injected failure`))).toHaveLength(3);
    const [, text] = await scrape(manager.healthPort, '/metrics');
    expect(metric(text, 'skiff_reconcile_errors_total{kind="Site"}')).toBeGreaterThanOrEqual(4);
  }, 120_000);

  test('leader election - one of two electors leads; when it dies without releasing, the other takes over within the lease duration', async () => {
    const ns = 'rt-lease';
    await namespace(ns);
    const events: string[] = [];
    const elector = (identity: string) =>
      new LeaderElector(kc, {
        namespace: ns,
        identity,
        log: () => undefined,
        onStartedLeading: () => events.push(`${identity} leads`),
        onStoppedLeading: () => events.push(`${identity} stops`),
      });
    const a = elector('a');
    const b = elector('b');
    onTestFinished(async () => {
      await a.stop();
      await b.stop();
    });
    a.start();
    await waitFor('a leads', () => a.isLeader, 20_000);
    b.start();
    // b keeps trying every 2 s and must stay a candidate while a renews.
    const holdUntil = Date.now() + 5000;
    await waitFor('5 s of b as candidate', () => {
      expect(b.isLeader).toBe(false);
      return Date.now() > holdUntil;
    }, 10_000);
    expect((await lease(ns)).spec?.holderIdentity).toBe('a');

    const died = Date.now();
    await a.stop(false);
    await waitFor('b leads', () => b.isLeader, 15_000 + 2000 + 5000);
    const takeover = Date.now() - died;
    expect(takeover).toBeGreaterThan(10_000);
    const l = await lease(ns);
    expect([l.spec?.holderIdentity, l.spec?.leaseTransitions]).toEqual(['b', 1]);
    expect(events).toEqual(['a leads', 'a stops', 'b leads']);
  }, 60_000);

  test('leader election - controllers run only on the leader; stopping it hands the Lease over at once and the standby reconciles', async () => {
    const ns = 'rt-failover';
    await namespace(ns);
    await apply(admin, [site('s'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'listed', labels: { 'app.kubernetes.io/part-of': 'skiff' } }, spec: { ports: [{ port: 80 }] } }], ns);
    const first = await startManager(ns, {}, ['sites', 'services']);
    await waitFor('first leads', () => first.manager.running && first.writer.count('s') > 0, 30_000);
    // Listed objects are kept as the API's JSON, as watched ones are: timestamps stay strings.
    expect(typeof first.manager.context.caches.services.get(ns, 'listed')?.metadata?.creationTimestamp).toBe('string');
    const second = await startManager(ns, {}, ['sites']);
    await waitFor('second synced', () => second.manager.notReadyReason() === undefined, 30_000);
    const [, standby] = await scrape(second.manager.healthPort, '/metrics');
    expect(metric(standby, 'skiff_leader')).toBe(0);
    expect(second.writer.count('s')).toBe(0);

    const stopped = Date.now();
    await first.manager.stop();
    expect((await lease(ns)).spec?.holderIdentity ?? '').toBe('');
    await waitFor('second reconciles', () => second.writer.count('s') > 0, 10_000);
    expect(Date.now() - stopped).toBeLessThan(2000 + 3000);
    expect(first.logs).toContain('controllers stopped');
  }, 90_000);

  test('informers - a watch the RBAC refuses: one log line naming the permission, a /readyz reason; recovers once granted', async () => {
    const ns = 'rt-rbac';
    const user = await tb.namespacedUser('c1', { user: 'rt-nosites', namespace: ns, rules: [{ apiGroups: ['', 'coordination.k8s.io'], resources: ['*'], verbs: ['*'] }] });
    const userKc = new KubeConfig();
    userKc.loadFromFile(user);
    const { manager, logs } = await startManager(ns, { kubeConfig: userKc });
    const want = `sites.skupper.io in ${ns}: HTTP 403`;
    await waitFor('readyz names the refused watch', async () => {
      const [status, body] = await scrape(manager.healthPort, '/readyz');
      return status === 503 && body.includes(want) && body.includes(`needs get, list and watch on sites.skupper.io in namespace ${ns}`);
    }, 20_000);
    // Retries at 1 s, 2 s, 4 s: still one line.
    const until = Date.now() + 4000;
    await waitFor('4 s of retries', () => Date.now() > until, 10_000);
    expect(logs.filter((l) => l.includes(want))).toHaveLength(1);
    expect(manager.running).toBe(false);

    const grant = await kubectl(admin, ['create', 'role', 'rt-sites', '-n', ns, '--verb=get,list,watch,update', '--resource=sites.skupper.io,sites.skupper.io/status']);
    expect(grant.code, grant.stderr).toBe(0);
    const bind = await kubectl(admin, ['create', 'rolebinding', 'rt-sites', '-n', ns, '--role=rt-sites', '--user=rt-nosites']);
    expect(bind.code, bind.stderr).toBe(0);
    await waitFor('recovered and ready', async () => (await scrape(manager.healthPort, '/readyz'))[0] === 200, 60_000);
    expect(logs.some((l) => l.startsWith(`watch sites.skupper.io in ${ns}: recovered after HTTP 403`))).toBe(true);
    await waitFor('controllers running', () => manager.running, 10_000);
  }, 120_000);

  test('main.js - runs the controller, and on SIGTERM releases the Lease and exits 0 within 2 s', async () => {
    const ns = 'rt-main';
    await namespace(ns);
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: admin, POD_NAMESPACE: ns, POD_NAME: 'main-test', SKIFF_HEALTH_PORT: '0' };
    delete env.KUBERNETES_SERVICE_HOST;
    const child = spawn(process.execPath, [join(ROOT, 'dist/site-controller/src/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    onTestFinished(() => void child.kill('SIGKILL'));
    await waitFor('controllers started', () => out.includes('controllers started'), 30_000);
    const port = Number(/health on port (\d+)/.exec(out)?.[1]);
    expect((await scrape(port, '/readyz'))[0]).toBe(200);
    expect((await lease(ns)).spec?.holderIdentity).toBe('main-test');
    expect(out).toContain('leader election: candidate -> leader');

    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(2000);
    expect(out).toContain('SIGTERM: stopping');
    expect(out).toContain('stopped');
    expect((await lease(ns)).spec?.holderIdentity ?? '').toBe('');
  }, 60_000);
});
