/**
 * Headless StatefulSets across clusters (ADR 0005, issue 11 item 3), on two test-bed clusters with
 * the same CIDRs: a 2-replica StatefulSet `db` of hello in c2 (governing headless Service `db`),
 * exposed with `skiff expose statefulset/db --headless`; from a client pod in c1, `db-0.db` answers
 * db-0 and `db-1.db` answers db-1 (never a c1 pod: the addresses overlap), through per-pod
 * Listeners, their ClusterIP Services and a selector-less headless Service whose EndpointSlice
 * names them. Exposing again after a scale adds the new pod and keeps the others' Services; bad
 * input is refused with the reason; unexpose removes it all from c1.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestbed, type Testbed } from '../testbed/src/testbed.js';
import { apply, clientPod, getJson, kubectl, pods, skipWithoutComponents, waitFor } from '../testbed/helpers.js';
import { applyYaml, getFrom as clientGet, installChart, installCrds, linkSites, seconds, skiffIn, untilCondition, type SiteEnv } from './kube-sites.js';
import { SkiffUser } from './skiff-binary.js';

let tb: Testbed;
const user = new SkiffUser();
let west: SiteEnv;
let east: SiteEnv;
const figures: Record<string, string> = {};

const getFrom = (site: SiteEnv, url: string, count = 1): Promise<string[]> => clientGet(tb, site, url, count);

/** Waits until every reply of `count` GETs of `url` from the site's client is `expected`. */
async function untilAnswers(site: SiteEnv, url: string, expected: string, deadlineMs = 120_000): Promise<void> {
  let last: string[] = [];
  try {
    await waitFor(`${url} from ${site.cluster} to answer ${expected}`, async () => {
      last = await getFrom(site, url, 3);
      return last.every((r) => r === expected);
    }, deadlineMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}; last replies: ${last.join(', ')}\n${await state(site)}`);
  }
}

/** What a site holds for per-pod names, and its service-controller's last lines: why a name does not answer. */
async function state(site: SiteEnv): Promise<string> {
  const objects = await kubectl(site.admin, ['get', 'listeners,connectors,services,endpointslices', '-n', site.ns, '-o', 'wide']);
  const [router] = await pods(site.admin, 'app.kubernetes.io/name=skupper-router', site.ns);
  const log = router === undefined ? 'no router pod' : await tb.logs(site.cluster, site.ns, router.name, 'service-controller').catch((error: unknown) => String(error));
  return `${objects.stdout}${objects.stderr}\nservice-controller log (last lines):\n${log.split('\n').slice(-30).join('\n')}`;
}

/** A governing headless Service for the pods labelled app=NAME. */
function governing(name: string): object {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { clusterIP: 'None', selector: { app: name }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] } };
}

/** A StatefulSet of hello (answering with its pod name) governed by `serviceName`. */
function statefulSet(name: string, replicas: number, serviceName = name): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      serviceName,
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [
            {
              name: 'hello',
              image: 'skiff-testbed/hello',
              env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1, timeoutSeconds: 3 },
            },
          ],
        },
      },
    },
  };
}

interface Listed {
  items: { metadata: { name: string; labels?: Record<string, string> }; spec?: { host?: string; port?: number; routingKey?: string; clusterIP?: string }; endpoints?: { addresses: string[]; hostname?: string }[] }[];
}

async function listIn(site: SiteEnv, kind: string, selector: string): Promise<Listed['items']> {
  return (await getJson<Listed>(site.admin, [kind, '-n', site.ns, '-l', selector])).items;
}

describe.skipIf(skipWithoutComponents())('headless statefulsets across clusters', () => {
  beforeAll(async () => {
    tb = await startTestbed({ clusters: 2 });
    await installCrds(tb);
    west = await installChart(tb, 'c1', 'west');
    east = await installChart(tb, 'c2', 'east');
    await applyYaml(west, { apiVersion: 'skupper.io/v2alpha1', kind: 'Site', metadata: { name: 'west' }, spec: { linkAccess: 'default' } });
    await applyYaml(east, { apiVersion: 'skupper.io/v2alpha1', kind: 'Site', metadata: { name: 'east' }, spec: {} });
    await apply(west.admin, [clientPod()], west.ns);
    await apply(east.admin, [clientPod(), governing('db'), statefulSet('db', 2)], east.ns);
    await untilCondition(west, 'site', 'west', 'Ready', 'True', 180_000);
    await untilCondition(east, 'site', 'east', 'Ready', 'True', 180_000);
    await linkSites(user, east, west);
    await waitFor('two ready db pods in c2', async () => (await pods(east.admin, 'app=db', east.ns)).filter((p) => p.ready).length === 2, 120_000);
    await waitFor('the client pods', async () => (await pods(west.admin, 'app=client', west.ns))[0]?.ready === true && (await pods(east.admin, 'app=client', east.ns))[0]?.ready === true, 60_000);
  }, 600_000);

  afterAll(async () => {
    if (Object.keys(figures).length > 0) console.log(`headless figures: ${JSON.stringify(figures)}`);
    await tb?.stop();
  }, 300_000);

  test('headless - bad input: another address, a missing StatefulSet, a StatefulSet without a governing Service', async () => {
    const other = await user.run(skiffIn(east, 'expose', 'statefulset/db', '--headless', '--address', 'store'));
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain("as its governing Service 'db'");
    expect(other.stderr).toContain('--address db');
    const missing = await user.run(skiffIn(east, 'expose', 'statefulset/nothere', '--headless'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('no StatefulSet named "nothere"');
    await apply(east.admin, [statefulSet('lone', 0, 'lone-gov')], east.ns);
    const ungoverned = await user.run(skiffIn(east, 'expose', 'statefulset/lone', '--headless'));
    expect(ungoverned.code).not.toBe(0);
    expect(ungoverned.stderr).toContain('governed by Service lone-gov, and there is no such Service');
    expect(await listIn(east, 'connectors', 'skiff.io/headless')).toEqual([]);
  }, 120_000);

  test('headless - db-0.db and db-1.db from a pod of c1 reach pods 0 and 1 of c2', async () => {
    // In c2 itself, the StatefulSet's own names (the test bed's CoreDNS stand-in).
    await untilAnswers(east, 'http://db-1.db:8080/', 'db-1', 30_000);
    const started = Date.now();
    const exposed = await user.ok(skiffIn(east, 'expose', 'statefulset/db', '--headless', '-o', 'json'));
    figures['skiff expose statefulset --headless (the command)'] = seconds(started);
    const json = JSON.parse(exposed.stdout) as { address: string; headless: { size: number; pods: string[] }; connectors: string[] };
    expect(json).toMatchObject({ address: 'db', headless: { size: 2, pods: ['db-0.db', 'db-1.db'] }, connectors: ['db-0', 'db-1'] });
    await untilAnswers(west, 'http://db-0.db:8080/', 'db-0');
    figures['expose to first reply from c1 (db-0.db)'] = seconds(started);
    await untilAnswers(west, 'http://db-1.db:8080/', 'db-1');
    figures['expose to first reply from c1 (db-1.db)'] = seconds(started);
    expect(await getFrom(west, 'http://db-1.db.west.svc.cluster.local:8080/', 2)).toEqual(['db-1', 'db-1']);
    expect(await getFrom(west, 'http://db-0.db.west:8080/', 2)).toEqual(['db-0', 'db-0']);

    // What c1 holds: per-pod synced Listeners, their ClusterIP Services, a headless Service and its slice.
    const listeners = await listIn(west, 'listeners', 'skiff.io/headless=db');
    expect(listeners.map((l) => [l.metadata.name, l.spec?.host, l.spec?.routingKey, l.metadata.labels?.['skiff.io/service-sync']])).toEqual([
      ['db-0', 'db-0', 'db-0', 'synced'],
      ['db-1', 'db-1', 'db-1', 'synced'],
    ]);
    const headless = await getJson<{ spec: { clusterIP: string; selector?: object } }>(west.admin, ['service', 'db', '-n', west.ns]);
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.selector).toBeUndefined();
    const perPod = await Promise.all(['db-0', 'db-1'].map(async (n) => (await getJson<{ spec: { clusterIP: string } }>(west.admin, ['service', n, '-n', west.ns])).spec.clusterIP));
    const [slice] = await listIn(west, 'endpointslices', 'kubernetes.io/service-name=db');
    expect(slice?.endpoints?.map((e) => [e.hostname, e.addresses[0]])).toEqual([
      ['db-0', perPod[0]],
      ['db-1', perPod[1]],
    ]);
  }, 300_000);

  test('headless - after a scale to 3, exposing again adds db-2.db and leaves the others in place (same ClusterIPs)', async () => {
    const clusterIp = async (name: string) => (await getJson<{ spec: { clusterIP: string } }>(west.admin, ['service', name, '-n', west.ns])).spec.clusterIP;
    const before = await clusterIp('db-0');
    expect((await kubectl(east.admin, ['scale', 'statefulset', 'db', '-n', east.ns, '--replicas=3'])).code).toBe(0);
    await waitFor('three ready db pods in c2', async () => (await pods(east.admin, 'app=db', east.ns)).filter((p) => p.ready).length === 3, 120_000);
    const again = JSON.parse((await user.ok(skiffIn(east, 'expose', 'statefulset/db', '--headless', '-o', 'json'))).stdout) as { connectors: string[] };
    expect(again.connectors).toEqual(['db-0', 'db-1', 'db-2']);
    await untilAnswers(west, 'http://db-2.db:8080/', 'db-2');
    expect(await getFrom(west, 'http://db-0.db:8080/', 2)).toEqual(['db-0', 'db-0']);
    expect(await clusterIp('db-0')).toBe(before);
  }, 240_000);

  test('headless - unexpose removes the per-pod Listeners, their Services and the headless Service from c1', async () => {
    const started = Date.now();
    await user.ok(skiffIn(east, 'unexpose', 'statefulset/db', '--address', 'db'));
    expect(await listIn(east, 'connectors', 'skiff.io/headless=db')).toEqual([]);
    await waitFor('per-pod Listeners and the headless Service gone from c1', async () => {
      const left = await kubectl(west.admin, ['get', 'listeners,services,endpointslices', '-n', west.ns, '-l', 'skiff.io/headless=db', '-o', 'name']);
      const services = await kubectl(west.admin, ['get', 'services', 'db', 'db-0', 'db-1', 'db-2', '-n', west.ns, '--ignore-not-found', '-o', 'name']);
      return left.stdout.trim() === '' && services.stdout.trim() === '';
    }, 60_000);
    figures['unexpose to everything gone from c1'] = seconds(started);
    expect((await getFrom(west, 'http://db-0.db:8080/'))[0]).toMatch(/^ERR /);
    // The origin's own names are untouched.
    expect(await getFrom(east, 'http://db-0.db:8080/')).toEqual(['db-0']);
  }, 120_000);
});
