/**
 * Skupper v1's ways of exposing on Kubernetes sites (ADR 0005), end to end on two test-bed clusters
 * with the same pod and service CIDRs: `skiff expose deployment/hello` in c2 reached by name from a
 * pod in c1 (replies name c2's pods, over both, never c1's though the addresses overlap) and gone
 * again with `unexpose`; `expose service/X` taking a Service over and `unexpose` restoring it field
 * by field; the `skupper.io/proxy` annotation on a Deployment and on a Service (taken over) exposing
 * and its removal unexposing; a malformed `skupper.io/port` said as an Event and one log line while
 * nothing else is disturbed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestbed, type Testbed } from '../testbed/src/testbed.js';
import { apply, clientPod, getJson, helloManifests, kubectl, pods, skipWithoutComponents, untilReplies, waitFor } from '../testbed/helpers.js';
import { applyYaml, CLIENT, find, installChart, installCrds, linkSites, ROUTER_PODS, seconds, skiffIn, untilCondition, untilGone, type KubeObject, type SiteEnv } from './kube-sites.js';
import { SkiffUser } from './skiff-binary.js';


let tb: Testbed;
const user = new SkiffUser();
let west: SiteEnv;
let east: SiteEnv;
const figures: Record<string, string> = {};

/**
 * GETs from c1's client pod, several requests at a time (the router gives a new stream to the
 * target with the fewest open ones, so only overlapping requests show every target).
 */
async function getFromC1(url: string): Promise<string[]> {
  const runs = await Promise.all([0, 1, 2, 3].map(() => tb.exec('c1', west.ns, 'client', ['node', CLIENT, 'get', url, '3'])));
  return runs.flatMap((r) => r.stdout.trim().split('\n')).filter((l) => l !== '');
}

async function readyPods(site: SiteEnv, selector: string): Promise<string[]> {
  return (await pods(site.admin, selector, site.ns)).filter((p) => p.ready).map((p) => p.name).sort();
}

/** A hello Deployment of two ready pods (and, with `service`, its Service: port 80 to the named port http). */
async function deployHello(site: SiteEnv, name: string, service = false): Promise<string[]> {
  const manifests = helloManifests({ name, replicas: 2 }).filter((o) => service || (o as { kind: string }).kind === 'Deployment');
  await apply(site.admin, manifests, site.ns);
  await waitFor(`two ready ${name} pods in ${site.cluster}`, async () => (await readyPods(site, `app=${name}`)).length === 2, 120_000);
  return readyPods(site, `app=${name}`);
}

async function annotate(site: SiteEnv, target: string, ...annotations: string[]): Promise<void> {
  const result = await kubectl(site.admin, ['annotate', '--overwrite', target, '-n', site.ns, ...annotations]);
  expect(result.code, result.stderr).toBe(0);
}

async function routerRestarts(site: SiteEnv): Promise<number> {
  return (await pods(site.admin, ROUTER_PODS, site.ns)).reduce((n, p) => n + p.restarts, 0);
}

describe.skipIf(skipWithoutComponents())('expose on kubernetes sites - the v1 forms, end to end', () => {
  let helloPods: string[] = [];

  beforeAll(async () => {
    tb = await startTestbed({ clusters: 2 });
    await installCrds(tb);
    west = await installChart(tb, 'c1', 'west');
    east = await installChart(tb, 'c2', 'east');
    await applyYaml(west, { apiVersion: 'skupper.io/v2alpha1', kind: 'Site', metadata: { name: 'west' }, spec: { linkAccess: 'default' } });
    await applyYaml(east, { apiVersion: 'skupper.io/v2alpha1', kind: 'Site', metadata: { name: 'east' } });
    await apply(west.admin, [clientPod()], west.ns);
    await untilCondition(west, 'site', 'west', 'Ready', 'True', 180_000);
    await untilCondition(east, 'site', 'east', 'Ready', 'True', 180_000);
    await linkSites(user, east, west);
    // c1 runs hello pods of its own: their addresses overlap c2's, their names must never answer.
    await deployHello(west, 'local-hello');
    helloPods = await deployHello(east, 'hello');
  }, 600_000);

  afterAll(async () => {
    if (Object.keys(figures).length > 0) console.log(`expose figures: ${JSON.stringify(figures)}`);
    await tb?.stop();
  }, 300_000);

  test('expose deployment/hello in c2: a pod in c1 gets answers from http://hello:8080/ by c2 pods, both of them; unexpose removes it', async () => {
    const started = Date.now();
    await user.ok(skiffIn(east, 'expose', 'deployment/hello', '--port', '8080'));
    const replies = await untilReplies('hello:8080 from c1 answered by both c2 pods', () => getFromC1('http://hello:8080/'), helloPods, 120_000);
    figures['expose deployment in c2 to replies from both pods in c1'] = seconds(started);
    expect(replies.every((r) => helloPods.includes(r))).toBe(true);
    const listener = await find(east, 'listener', 'hello');
    expect(listener?.metadata.labels).toMatchObject({ 'skiff.io/service-sync': 'announce', 'skiff.io/exposed-by': 'skiff-cli', 'skiff.io/address': 'hello' });
    const status = JSON.parse((await user.ok(skiffIn(west, 'service', 'status', '-o', 'json'))).stdout) as { services: { address: string; origin: string; originSiteName: string }[] };
    expect(status.services.find((s) => s.address === 'hello')).toMatchObject({ origin: 'remote', originSiteName: 'east' });

    const unexposed = Date.now();
    await user.ok(skiffIn(east, 'unexpose', 'deployment/hello'));
    await Promise.all([untilGone(east, 'service', 'hello'), untilGone(west, 'service', 'hello'), untilGone(west, 'listener', 'hello')]);
    figures['unexpose to Service gone in c1 and c2'] = seconds(unexposed);
    expect(await find(east, 'connector', 'hello')).toBeUndefined();
  }, 300_000);

  test('expose service/web takes the Service over (its pods answer from c1 by its own named port); unexpose restores it field by field', async () => {
    const webPods = await deployHello(east, 'web', true);
    const before = (await getJson<KubeObject>(east.admin, ['service', 'web', '-n', east.ns])).spec ?? {};
    await user.ok(skiffIn(east, 'expose', 'service/web'));
    expect((await find(east, 'connector', 'web'))?.spec).toEqual({ routingKey: 'web', port: 8080, selector: 'app=web' });
    await waitFor('Service web in c2 to lead to the router', async () => JSON.stringify((await find(east, 'service', 'web'))?.spec?.selector).includes('skupper-router'), 60_000);
    await untilReplies('web:80 from c1 answered by both c2 web pods', () => getFromC1('http://web:80/'), webPods, 120_000);

    await user.ok(skiffIn(east, 'unexpose', 'service/web'));
    let after: KubeObject | undefined;
    await waitFor('Service web in c2 restored', async () => JSON.stringify((after = await find(east, 'service', 'web'))?.spec?.selector) === JSON.stringify(before.selector), 60_000);
    const fields = ['selector', 'ports', 'type', 'clusterIP', 'sessionAffinity'] as const;
    for (const field of fields) expect(after?.spec?.[field], field).toEqual(before[field]);
    expect(Object.keys(after?.metadata.annotations ?? {}).filter((k) => k.startsWith('skiff.io/') || k.startsWith('internal.skupper.io/'))).toEqual([]);
    await untilGone(west, 'service', 'web');
  }, 300_000);

  test('the skupper.io/proxy annotation on the Deployment exposes it (owned by it); removing it unexposes', async () => {
    const started = Date.now();
    await annotate(east, 'deployment/hello', 'skupper.io/proxy=tcp', 'skupper.io/port=8080');
    await untilReplies('hello:8080 from c1 by annotation', () => getFromC1('http://hello:8080/'), helloPods, 120_000);
    figures['annotation in c2 to replies from both pods in c1'] = seconds(started);
    const listener = await find(east, 'listener', 'hello');
    expect(listener?.metadata.labels?.['skiff.io/exposed-by']).toBe('annotation');
    expect(listener?.metadata.ownerReferences?.map((o) => `${o.kind}/${o.name}`)).toEqual(['Deployment/hello']);
    expect((await find(east, 'connector', 'hello'))?.spec).toEqual({ routingKey: 'hello', port: 8080, selector: 'app=hello' });

    await annotate(east, 'deployment/hello', 'skupper.io/proxy-', 'skupper.io/port-');
    await Promise.all([untilGone(east, 'listener', 'hello'), untilGone(east, 'connector', 'hello'), untilGone(west, 'service', 'hello')]);
  }, 300_000);

  test('the annotation on a Service takes it over under its own name; removing it restores the Service', async () => {
    const before = (await getJson<KubeObject>(east.admin, ['service', 'web', '-n', east.ns])).spec ?? {};
    const webPods = await readyPods(east, 'app=web');
    await annotate(east, 'service/web', 'skupper.io/proxy=tcp');
    await untilReplies('web:80 from c1 by annotation on the Service', () => getFromC1('http://web:80/'), webPods, 120_000);
    const listener = await find(east, 'listener', 'web');
    expect(listener?.metadata.annotations?.['skiff.io/take-over-service']).toBe('true');
    expect(listener?.metadata.ownerReferences?.map((o) => `${o.kind}/${o.name}`)).toEqual(['Service/web']);
    expect((await find(east, 'connector', 'web'))?.spec).toEqual({ routingKey: 'web', port: 8080, selector: 'app=web' });

    await annotate(east, 'service/web', 'skupper.io/proxy-');
    await untilGone(east, 'listener', 'web');
    let after: KubeObject | undefined;
    await waitFor('Service web in c2 restored', async () => JSON.stringify((after = await find(east, 'service', 'web'))?.spec?.selector) === JSON.stringify(before.selector), 60_000);
    expect(after?.spec?.ports).toEqual(before.ports);
    await untilGone(west, 'service', 'web');
  }, 300_000);

  test('a malformed skupper.io/port is an Event on the Deployment and one log line; nothing else is disturbed', async () => {
    const restarts = await routerRestarts(east);
    // Something else exposed meanwhile, which must keep working.
    await user.ok(skiffIn(east, 'expose', 'deployment/web', '--port', '8080', '--address', 'web2'));
    const webPods = await readyPods(east, 'app=web');
    await untilReplies('web2 from c1', () => getFromC1('http://web2:8080/'), webPods, 120_000);

    await annotate(east, 'deployment/hello', 'skupper.io/proxy=tcp', 'skupper.io/port=80x');
    interface Event {
      reason: string;
      message: string;
      type: string;
      involvedObject: { kind: string; name: string };
    }
    let events: Event[] = [];
    await waitFor('an InvalidAnnotation event on deployment hello', async () => {
      events = (await getJson<{ items: Event[] }>(east.admin, ['events', '-n', east.ns, '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=hello'])).items.filter((e) => e.reason === 'InvalidAnnotation');
      return events.length > 0;
    }, 60_000);
    expect(events[0]).toMatchObject({ type: 'Warning' });
    expect(events[0]?.message).toContain('annotation skupper.io/port="80x"');
    expect(events[0]?.message).toContain('write PORT or PORT:TARGETPORT');
    // A scale makes the Deployment change (and be reconciled) again: still one line, one Event.
    expect((await kubectl(east.admin, ['scale', 'deployment/hello', '--replicas=1', '-n', east.ns])).code).toBe(0);
    await waitFor('hello scaled to one ready pod', async () => (await readyPods(east, 'app=hello')).length === 1, 60_000);
    const [router] = await pods(east.admin, ROUTER_PODS, east.ns);
    const log = await tb.logs('c2', east.ns, router?.name ?? '', 'service-controller');
    expect(log.split('\n').filter((l) => l.includes('skupper.io/port="80x"'))).toHaveLength(1);
    expect(await find(east, 'listener', 'hello')).toBeUndefined();
    await untilReplies('web2 from c1, undisturbed', () => getFromC1('http://web2:8080/'), webPods, 30_000);
    expect(await routerRestarts(east)).toBe(restarts);
  }, 300_000);
});
