/**
 * Service sync between Kubernetes sites and a local site (ADR 0005), on two test-bed clusters with
 * the same CIDRs and a plain underlay host: west (c1) and east (c2) linked, a local site vm linked to
 * west. A service exposed on vm is reached by name from pods of both clusters; a Deployment exposed
 * in c1 (two ports) is reached from vm and from c2; unexposing removes it from c2 within the sync
 * interval; c2's router frozen for less than the grace keeps c1's Service (same ClusterIP) while
 * a longer freeze removes it; and a restarted service-controller deletes nothing it had synced.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestbed, type Testbed } from '../testbed/src/testbed.js';
import { REPO_ROOT } from '../testbed/src/paths.js';
import type { UnderlayHost } from '../testbed/src/underlay-host.js';
import { apply, clientPod, helloManifests, pods, skipWithoutComponents, waitFor } from '../testbed/helpers.js';
import { applyYaml, CLIENT, find, getFrom, installChart, installCrds, linkSites, ROUTER_PODS, seconds, skiffIn, untilCondition, type KubeObject, type SiteEnv } from './kube-sites.js';
import { SkiffUser } from './skiff-binary.js';

const GRACE_S = 20;
/** Snapshots go out every min(5 s, grace / 4). */
const SYNC_INTERVAL_MS = Math.min(5_000, (GRACE_S * 1000) / 4);
const HELLO = join(REPO_ROOT, 'dist', 'test', 'testbed', 'src', 'images', 'hello.js');
/** The server on the underlay host (its own loopback). */
const VM_SERVER_PORT = 18080;

let tb: Testbed;
let host: UnderlayHost;
const user = new SkiffUser();
let vm: SkiffUser;
let west: SiteEnv;
let east: SiteEnv;
/** Figures for the closing note, printed at the end. */
const figures: Record<string, string> = {};

async function getFromVm(url: string, count = 1): Promise<string[]> {
  const result = await host.exec(['node', CLIENT, 'get', url, String(count)]);
  return result.stdout.trim().split('\n');
}

/** Waits until every reply of a GET is one of `names`; returns the replies. */
async function untilServed(what: string, get: () => Promise<string[]>, names: (reply: string) => boolean, deadlineMs: number): Promise<string[]> {
  let last: string[] = [];
  try {
    await waitFor(what, async () => {
      last = await get();
      return last.length > 0 && last.every(names);
    }, deadlineMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}; last replies: ${last.join(', ')}`);
  }
  return last;
}

async function untilFound(site: SiteEnv, kind: string, name: string, deadlineMs: number): Promise<KubeObject> {
  let found: KubeObject | undefined;
  await waitFor(`${kind} ${name} in ${site.ns}`, async () => (found = await find(site, kind, name)) !== undefined, deadlineMs);
  return found as KubeObject;
}

interface VmService {
  address: string;
  port: number | null;
}

/** The port vm binds for a service (a routing key of it), once bound. */
async function vmPort(key: string): Promise<number | undefined> {
  const status = JSON.parse((await vm.ok(['service', 'status', '--site', 'vm', '-o', 'json'])).stdout) as { services: VmService[] };
  return status.services.find((s) => s.address === key)?.port ?? undefined;
}

/**
 * Two ready pods of a hello Deployment (no Service of its own: the exposure makes it); returns
 * whether a reply names one of them.
 */
async function deployHello(site: SiteEnv, name: string): Promise<(reply: string) => boolean> {
  const deployment = helloManifests({ name, replicas: 2 }).filter((o) => (o as { kind: string }).kind === 'Deployment');
  await apply(site.admin, deployment, site.ns);
  await waitFor(`two ready ${name} pods in ${site.cluster}`, async () => (await pods(site.admin, `app=${name}`, site.ns)).filter((p) => p.ready).length === 2, 120_000);
  const names = (await pods(site.admin, `app=${name}`, site.ns)).map((p) => p.name);
  return (reply) => names.includes(reply);
}

async function routerPod(site: SiteEnv): Promise<string> {
  const [pod] = await pods(site.admin, ROUTER_PODS, site.ns);
  if (pod === undefined) throw new Error(`no router pod in ${site.ns}`);
  return pod.name;
}

/** Freezes the site's router process (SIGSTOP) until `work` ends. */
async function withRouterFrozen<T>(site: SiteEnv, work: () => Promise<T>): Promise<T> {
  const pod = await routerPod(site);
  tb.signal(site.cluster, site.ns, pod, 'SIGSTOP', 'router');
  try {
    return await work();
  } finally {
    tb.signal(site.cluster, site.ns, pod, 'SIGCONT', 'router');
  }
}

/** Samples `sample` every half second for `ms`. */
async function sampleFor<T>(ms: number, sample: () => Promise<T>): Promise<T[]> {
  const samples: T[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    samples.push(await sample());
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return samples;
}

async function makeSite(site: SiteEnv, linkAccess: string | undefined): Promise<void> {
  const spec = { ...(linkAccess === undefined ? {} : { linkAccess }), settings: { 'service-sync-site-ttl': `${GRACE_S}s` } };
  await applyYaml(site, { apiVersion: 'skupper.io/v2alpha1', kind: 'Site', metadata: { name: site.ns }, spec });
}

describe.skipIf(skipWithoutComponents())('service sync across kubernetes and local sites', () => {
  beforeAll(async () => {
    tb = await startTestbed({ clusters: 2 });
    await installCrds(tb);
    west = await installChart(tb, 'c1', 'west');
    east = await installChart(tb, 'c2', 'east');
    await makeSite(west, 'default');
    await makeSite(east, undefined);
    for (const site of [west, east]) await apply(site.admin, [clientPod()], site.ns);
    await untilCondition(west, 'site', 'west', 'Ready', 'True', 180_000);
    await untilCondition(east, 'site', 'east', 'Ready', 'True', 180_000);

    await linkSites(user, east, west);

    host = await tb.addHost('vm');
    vm = new SkiffUser(host.netns);
    await vm.ok(['init', '--site-name', 'vm', '--ingress', host.address, '--sync-grace', `${GRACE_S}s`]);
    const vmToken = join(vm.home, 'west-for-vm.yaml');
    await user.ok(skiffIn(west, 'token', 'create', vmToken));
    await vm.ok(['link', 'create', vmToken, '--site', 'vm', '--name', 'to-west']);
    await vm.ok(['link', 'status', '--site', 'vm', '--wait', '60']);
    host.spawn(['node', HELLO], { env: { PORT: String(VM_SERVER_PORT), POD_NAME: 'vm-hello' }, stdio: 'ignore' });
  }, 600_000);

  afterAll(async () => {
    if (Object.keys(figures).length > 0) console.log(`service sync figures: ${JSON.stringify(figures)}`);
    await vm?.run(['delete', '--site', 'vm']);
    await tb?.stop();
  }, 300_000);

  test('local to kubernetes - a host exposed on the local site is reached by name from pods of both clusters', async () => {
    const started = Date.now();
    await vm.ok(['expose', 'host', '127.0.0.1', '--port', String(VM_SERVER_PORT), '--address', 'vmhello', '--site', 'vm']);
    figures['skiff expose host on vm (the command)'] = seconds(started);
    // Both clusters at once, so neither figure waits for the other's checks; the port clients use
    // is the synced Listener's (the one vm chose), checked against vm's own afterwards.
    const ports = await Promise.all([west, east].map(async (site) => {
      const listener = await untilFound(site, 'listener', 'vmhello', 120_000);
      const port = listener.spec?.port ?? 0;
      await untilFound(site, 'service', 'vmhello', 120_000);
      figures[`expose on vm to Service in ${site.cluster}`] = seconds(started);
      const replies = await untilServed(`vmhello:${port} from a pod of ${site.cluster}`, () => getFrom(tb, site, `http://vmhello:${port}/`, 3), (r) => r === 'vm-hello', 120_000);
      figures[`expose on vm to first reply in ${site.cluster}`] = seconds(started);
      expect(replies).toEqual(['vm-hello', 'vm-hello', 'vm-hello']);
      const synced = await untilFound(site, 'listener', 'vmhello', 1_000);
      expect(synced.metadata.labels?.['skiff.io/service-sync']).toBe('synced');
      expect(synced.metadata.annotations?.['skiff.io/origin-site-name']).toBe('vm');
      expect(synced.spec).toMatchObject({ port, routingKey: 'vmhello' });
      // The local site's report names its connector for vmhello (bindings): the Listener is matched.
      const matched = await untilCondition(site, 'listener', 'vmhello', 'Matched', 'True', 60_000);
      expect(matched.status?.['hasMatchingConnector']).toBe(true);
      return port;
    }));
    expect(ports).toEqual([await vmPort('vmhello'), await vmPort('vmhello')]);
  }, 300_000);

  test('kubernetes to local - a Deployment exposed in c1 on two ports is reached from the local site (one port per routing key) and from c2', async () => {
    const isC1Pod = await deployHello(west, 'hello');
    const started = Date.now();
    await user.ok(skiffIn(west, 'expose', 'deployment/hello', '--port', '8080', '--port', '8081:8080'));
    figures['skiff expose deployment in c1 (the command)'] = seconds(started);
    // Every place at once, so no figure waits for another's checks.
    const onVm = ['hello:8080', 'hello:8081'].map(async (key) => {
      let port: number | undefined;
      await waitFor(`vm to bind ${key}`, async () => (port = await vmPort(key)) !== undefined, 120_000);
      await untilServed(`${key} from vm`, () => getFromVm(`http://127.0.0.1:${port}/`, 4), isC1Pod, 120_000);
      figures[`expose deployment in c1 to first reply on vm (${key})`] = seconds(started);
    });
    const inC2 = [8080, 8081].map(async (port) => {
      await untilServed(`hello:${port} from a pod of c2`, () => getFrom(tb, east, `http://hello:${port}/`, 4), isC1Pod, 120_000);
      figures[`expose deployment in c1 to first reply in c2 (port ${port})`] = seconds(started);
      const listener = await untilFound(east, 'listener', `hello-${port}`, 1_000);
      expect(listener.spec?.routingKey).toBe(`hello:${port}`);
    });
    await Promise.all([...onVm, ...inC2]);
  }, 300_000);

  test('unexpose - the Service goes from c2 within the sync interval, and the local site lets the ports go', async () => {
    expect(await find(east, 'service', 'hello')).toBeDefined();
    const started = Date.now();
    await user.ok(skiffIn(west, 'unexpose', 'deployment/hello'));
    figures['skiff unexpose (the command)'] = seconds(started);
    const unexposed = Date.now();
    await waitFor('synced Listeners of hello gone from c2', async () => (await find(east, 'listener', 'hello-8080')) === undefined && (await find(east, 'listener', 'hello-8081')) === undefined, SYNC_INTERVAL_MS + 10_000);
    figures['unexpose done to synced Listeners gone in c2'] = seconds(unexposed);
    await waitFor('Service hello gone from c2', async () => (await find(east, 'service', 'hello')) === undefined, SYNC_INTERVAL_MS + 10_000);
    figures['unexpose done to Service gone in c2'] = seconds(unexposed);
    // Announced at once on change, not at the next interval: the Service goes within one interval.
    expect(Date.now() - unexposed).toBeLessThan(SYNC_INTERVAL_MS);
    await waitFor('vm to drop hello', async () => (await vmPort('hello:8080')) === undefined, 30_000);
  }, 120_000);

  test('grace - c2\'s router frozen for less than the grace keeps c1\'s Service and its ClusterIP; frozen longer, the Service goes', async () => {
    const isC2Pod = await deployHello(east, 'greet');
    await user.ok(skiffIn(east, 'expose', 'deployment/greet', '--port', '8080'));
    await untilServed('greet from a pod of c1', () => getFrom(tb, west, 'http://greet:8080/', 2), isC2Pod, 120_000);
    const service = await untilFound(west, 'service', 'greet', 1_000);
    const listener = await untilFound(west, 'listener', 'greet', 1_000);

    // Sampled from the freeze until past the moment it would have expired c2's services had it counted.
    const shortFreezeMs = GRACE_S * 1000 * 0.4;
    const identity = async (): Promise<string> => {
      const [svc, lst] = await Promise.all([find(west, 'service', 'greet'), find(west, 'listener', 'greet')]);
      return `${svc?.metadata.uid ?? 'none'} ${svc?.spec?.clusterIP ?? 'none'} ${lst?.metadata.uid ?? 'none'}`;
    };
    const seen = await withRouterFrozen(east, () => sampleFor(shortFreezeMs, identity));
    const thawed = Date.now();
    await untilServed('greet from c1 after the short freeze', () => getFrom(tb, west, 'http://greet:8080/', 2), isC2Pod, 60_000);
    figures['short freeze: thaw to greet served in c1 again'] = seconds(thawed);
    seen.push(...(await sampleFor(GRACE_S * 1000 - (Date.now() - thawed) - shortFreezeMs + 2_000, identity)));
    expect(seen.length).toBeGreaterThan(10);
    expect(new Set(seen)).toEqual(new Set([`${service.metadata.uid} ${service.spec?.clusterIP} ${listener.metadata.uid}`]));

    const frozen = Date.now();
    await withRouterFrozen(east, () => waitFor('Service greet gone from c1', async () => (await find(west, 'service', 'greet')) === undefined, GRACE_S * 1000 + 20_000));
    const gone = Date.now() - frozen;
    figures['long freeze: freeze to Service gone in c1'] = `${(gone / 1000).toFixed(1)} s (grace ${GRACE_S} s)`;
    // The grace runs from the last snapshot heard, at most one interval before the freeze.
    expect(gone).toBeGreaterThanOrEqual(GRACE_S * 1000 - SYNC_INTERVAL_MS);
    expect(gone).toBeLessThan(GRACE_S * 1000 + 10_000);
    expect(await find(west, 'listener', 'greet')).toBeUndefined();
    // Back: east announces again and c1 serves greet once more.
    const back = Date.now();
    await untilServed('greet from c1 once c2 is back', () => getFrom(tb, west, 'http://greet:8080/', 2), isC2Pod, 120_000);
    figures['long freeze: thaw to greet served in c1 again'] = seconds(back);
  }, 400_000);

  test('restart - c1\'s service-controller killed and restarted deletes no synced Listener or Service, and greet keeps being served', async () => {
    const identity = async (): Promise<string> => {
      const [svc, lst] = await Promise.all([find(west, 'service', 'greet'), find(west, 'listener', 'greet')]);
      return `${svc?.metadata.uid ?? 'none'} ${svc?.spec?.clusterIP ?? 'none'} ${lst?.metadata.uid ?? 'none'}`;
    };
    const before = await identity();
    expect(before).not.toContain('none');
    const [pod] = await pods(west.admin, ROUTER_PODS, west.ns);
    if (pod === undefined) throw new Error('no router pod in west');
    tb.signal(west.cluster, west.ns, pod.name, 'SIGKILL', 'service-controller');
    const killed = Date.now();
    const seen: string[] = [];
    await waitFor('the service-controller restarted and Ready', async () => {
      seen.push(await identity());
      const now = (await pods(west.admin, ROUTER_PODS, west.ns)).find((p) => p.name === pod.name);
      return now !== undefined && now.restarts > pod.restarts && now.ready;
    }, 60_000);
    figures['service-controller killed to Ready again'] = seconds(killed);
    // Past a full interval after the restart: a seed that lost greet would have deleted it by now.
    seen.push(...(await sampleFor(SYNC_INTERVAL_MS + 2_000, identity)));
    expect(new Set(seen)).toEqual(new Set([before]));
    await untilServed('greet from c1 after the restart', () => getFrom(tb, west, 'http://greet:8080/', 2), (reply) => reply.startsWith('greet-'), 30_000);
  }, 120_000);
});
