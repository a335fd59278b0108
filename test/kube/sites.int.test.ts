/**
 * Kubernetes sites end to end on two test-bed clusters with the same pod and service CIDRs: the chart
 * installed by a user who holds only a namespaced Role, sites made and linked with `skiff`, Skupper v2
 * YAML applied unchanged, a local site on a plain underlay host linked both ways, failures reported in
 * status, and `skiff delete` leaving nothing behind.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { startTestbed, type Testbed } from '../testbed/src/testbed.js';
import { getJson, kubectl, pods, skipWithoutComponents, waitFor } from '../testbed/helpers.js';
import { applyYaml, condition, installChart as installChartIn, installCrds, resource, skiffIn, untilCondition, type Resource, type SiteEnv } from './kube-sites.js';
import { SkiffUser } from './skiff-binary.js';

let tb: Testbed;
const user = new SkiffUser();
let west: SiteEnv;
let east: SiteEnv;
/** Figures for the closing note, printed at the end. */
const figures: Record<string, string> = {};

const CONTROLLER_PODS = 'app.kubernetes.io/component=site-controller';

async function controllerRestarts(site: SiteEnv): Promise<number> {
  return (await pods(site.admin, CONTROLLER_PODS, site.ns)).reduce((n, p) => n + p.restarts, 0);
}

async function untilControllerReady(site: SiteEnv): Promise<void> {
  await waitFor(`the site-controller Ready in ${site.ns}`, async () => (await pods(site.admin, CONTROLLER_PODS, site.ns)).some((p) => p.ready), 120_000);
}

function installChart(cluster: string, ns: string): Promise<SiteEnv> {
  return installChartIn(tb, cluster, ns);
}

describe.skipIf(skipWithoutComponents())('kubernetes sites', () => {
  beforeAll(async () => {
    tb = await startTestbed({ clusters: 2 });
    await installCrds(tb);
    west = await installChart('c1', 'west');
    east = await installChart('c2', 'east');
  }, 240_000);

  afterAll(async () => {
    if (Object.keys(figures).length > 0) console.log(`kubernetes sites figures: ${JSON.stringify(figures)}`);
    const stopping = Date.now();
    await tb?.stop();
    console.log(`test bed stopped in ${((Date.now() - stopping) / 1000).toFixed(1)} s`);
  }, 300_000);

  test('chart - the controller becomes Ready and its ServiceAccount is refused cluster-scoped reads', async () => {
    for (const site of [west, east]) {
      await untilControllerReady(site);
      const sa = `system:serviceaccount:${site.ns}:skiff-site-controller`;
      for (const [verb, what] of [['list', 'nodes'], ['list', 'namespaces'], ['get', 'pods --all-namespaces']] as const) {
        const answer = await kubectl(site.admin, ['auth', 'can-i', verb, ...what.split(' '), `--as=${sa}`]);
        expect(answer.stdout.trim(), `${sa} may ${verb} ${what}`).toBe('no');
      }
      const own = await kubectl(site.admin, ['auth', 'can-i', 'create', 'deployments', '-n', site.ns, `--as=${sa}`]);
      expect(own.stdout.trim()).toBe('yes');
    }
  }, 180_000);

  test('init - sites become Ready; west has its LoadBalancer address in status.endpoints; init says what it waited for', async () => {
    const started = Date.now();
    const [w, e] = await Promise.all([
      user.ok(skiffIn(west, 'init', '--enable-link-access')),
      user.ok(skiffIn(east, 'init')),
    ]);
    figures['init to Ready (both, in parallel)'] = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    expect(w.stderr.toLowerCase()).toContain('waiting');
    expect(w.stdout).toMatch(/ready/i);
    const site = await untilCondition(west, 'site', 'west', 'Ready', 'True', 10_000);
    expect(site.status?.status).toBe('Ready');
    const interRouter = site.status?.endpoints?.find((ep) => ep.name === 'inter-router');
    expect(interRouter?.host).toMatch(/^172\.30\.1\.1\d\d$/);
    expect(interRouter?.port).toBe('55671');
    for (const c of site.status?.conditions ?? []) expect(c.observedGeneration).toBe(site.metadata.generation);
    await untilCondition(east, 'site', 'east', 'Ready', 'True', 10_000);
    expect(e.code).toBe(0);
  }, 300_000);

  test('link - a token from west links east; the Link is Operational and both sides say connected', async () => {
    const token = join(user.home, 'west.token.yaml');
    await user.ok(skiffIn(west, 'token', 'create', token));
    const started = Date.now();
    await user.ok(skiffIn(east, 'link', 'create', token, '--name', 'to-west'));
    await untilCondition(east, 'link', 'to-west', 'Operational', 'True', 120_000);
    figures['link create to Operational'] = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    const eastStatus = await user.ok(skiffIn(east, 'link', 'status', '--wait', '60'));
    expect(eastStatus.stdout).toMatch(/to-west/);
    // West has no Link of its own: its side of the link is the incoming connection from east.
    const westStatus = await user.ok(skiffIn(west, 'link', 'status', '--wait', '60'));
    expect(westStatus.stdout).toMatch(/east/);
    // Sites report themselves every few seconds; each side lists both once it has heard the other.
    for (const site of [west, east]) {
      await waitFor(`network status in ${site.ns} to list west and east`, async () => {
        const sites = (JSON.parse((await user.ok(skiffIn(site, 'network', 'status', '-o', 'json'))).stdout) as { sites: { name: string }[] }).sites;
        return ['west', 'east'].every((name) => sites.some((s) => s.name === name));
      }, 60_000);
    }
  }, 300_000);

  test('skupper v2 yaml - Site and AccessGrant on c1, Site and AccessToken on c2, applied with kubectl unchanged: the link comes up', async () => {
    const v2West = await installChart('c1', 'v2-west');
    const v2East = await installChart('c2', 'v2-east');
    await applyYaml(v2West, { apiVersion: 'skupper.io/v2alpha1', kind: 'Site', metadata: { name: 'v2-west' }, spec: { linkAccess: 'default' } });
    await applyYaml(v2East, { apiVersion: 'skupper.io/v2alpha1', kind: 'Site', metadata: { name: 'v2-east' } });
    await untilCondition(v2West, 'site', 'v2-west', 'Ready', 'True', 180_000);
    const grant = await grantFor(v2West, 'grant-v2-west', { redemptionsAllowed: 1, expirationWindow: '1h' });
    expect(grant.url).toMatch(/^https:\/\/172\.30\.1\.1\d\d:\d+\/[0-9a-f-]+$/);
    await applyYaml(v2East, { apiVersion: 'skupper.io/v2alpha1', kind: 'AccessToken', metadata: { name: 'token-v2-west' }, spec: { url: grant.url, code: grant.code, ca: grant.ca } });
    await untilCondition(v2East, 'accesstoken', 'token-v2-west', 'Redeemed', 'True', 120_000);
    const links = await getJson<{ items: Resource[] }>(v2East.admin, ['links', '-n', v2East.ns]);
    expect(links.items.length).toBeGreaterThan(0);
    for (const link of links.items) await untilCondition(v2East, 'link', link.metadata.name, 'Operational', 'True', 120_000);
    await untilCondition(v2East, 'site', 'v2-east', 'Ready', 'True', 60_000);
    for (const site of [v2East, v2West]) await kubectl(site.admin, ['delete', 'site', site.ns, '-n', site.ns]);
  }, 400_000);

  test('local site - a site on a plain underlay host links to west with west\'s token, and east links to it with its token', async () => {
    const host = await tb.addHost('vm');
    const vm = new SkiffUser(host.netns);
    try {
      await vm.ok(['init', '--site-name', 'vm', '--ingress', host.address]);
      const westToken = join(vm.home, 'west-for-vm.yaml');
      await user.ok(skiffIn(west, 'token', 'create', westToken));
      await vm.ok(['link', 'create', westToken, '--site', 'vm', '--name', 'to-west']);
      const status = await vm.ok(['link', 'status', '--site', 'vm', '--wait', '60', '-o', 'json']);
      expect(status.stdout).toContain('"connected": true');

      const vmToken = join(vm.home, 'vm.token');
      await vm.ok(['token', 'create', vmToken, '--site', 'vm']);
      const eastRouter = async () => (await pods(east.admin, 'app.kubernetes.io/name=skupper-router,skupper.io/component=router', east.ns)).map((p) => p.name);
      const routerBefore = await eastRouter();
      const toWestSince = condition(await resource(east, 'link', 'to-west'), 'Operational')?.lastTransitionTime;
      await user.ok(skiffIn(east, 'link', 'create', vmToken, '--name', 'to-vm'));
      await untilCondition(east, 'link', 'to-vm', 'Operational', 'True', 120_000);
      await waitFor('west to hear of the local site vm', async () => (await user.ok(skiffIn(west, 'network', 'status', '-o', 'json'))).stdout.includes('"vm"'), 60_000);
      await user.ok(skiffIn(east, 'link', 'delete', 'to-vm'));
      // Adding and removing a link went through management: the router pod is the same one and
      // the other link never went down.
      expect(await eastRouter()).toEqual(routerBefore);
      const toWest = condition(await resource(east, 'link', 'to-west'), 'Operational');
      expect(toWest?.status).toBe('True');
      expect(toWest?.lastTransitionTime).toBe(toWestSince);
      expect(await pods(east.admin, 'app.kubernetes.io/name=skupper-router,skupper.io/component=router', east.ns).then((list) => list.every((p) => p.restarts === 0))).toBe(true);
    } finally {
      await vm.run(['delete', '--site', 'vm']);
    }
  }, 400_000);

  test('restarts - a deleted router pod comes back and its link is Operational again; a restarted controller leaves the router pod alone', async () => {
    const routerPod = async (site: SiteEnv) =>
      getJson<{ items: { metadata: { name: string; uid: string } }[] }>(site.admin, ['pods', '-n', site.ns, '-l', 'app.kubernetes.io/name=skupper-router,skupper.io/component=router']);
    const before = (await routerPod(east)).items[0];
    expect(before).toBeDefined();
    const statusBefore = (await resource(east, 'configmap', 'skupper-network-status')).metadata as { resourceVersion?: string };
    const started = Date.now();
    await kubectl(east.admin, ['delete', 'pod', '-n', east.ns, before?.metadata.name ?? '', '--wait=false']);
    // Operational again means: a new router pod is Ready, its adaptor has written the network status
    // since, and that status says the link is up (a status left from the old pod cannot pass).
    await waitFor('a new, Ready router pod in east whose adaptor reports the link Operational', async () => {
      const now = await pods(east.admin, 'app.kubernetes.io/name=skupper-router,skupper.io/component=router', east.ns);
      if (now.length !== 1 || now[0]?.name === before?.metadata.name || !now[0]?.ready) return false;
      const status = (await resource(east, 'configmap', 'skupper-network-status')).metadata as { resourceVersion?: string };
      if (status.resourceVersion === statusBefore.resourceVersion) return false;
      return condition(await resource(east, 'link', 'to-west'), 'Operational')?.status === 'True';
    }, 120_000);
    figures['router pod deleted to link Operational'] = `${((Date.now() - started) / 1000).toFixed(1)} s`;

    const routerBefore = (await routerPod(west)).items[0]?.metadata.uid;
    const configBefore = (await resource(west, 'configmap', 'skupper-router')).metadata;
    const oldController = (await pods(west.admin, CONTROLLER_PODS, west.ns))[0]?.name;
    await kubectl(west.admin, ['delete', 'pod', '-n', west.ns, '-l', CONTROLLER_PODS]);
    await waitFor('a new controller pod, Ready', async () => (await pods(west.admin, CONTROLLER_PODS, west.ns)).some((p) => p.ready && p.name !== oldController), 120_000);
    await untilCondition(west, 'site', 'west', 'Ready', 'True', 60_000);
    expect((await routerPod(west)).items[0]?.metadata.uid).toBe(routerBefore);
    const configAfter = (await resource(west, 'configmap', 'skupper-router')).metadata as { resourceVersion?: string };
    expect(configAfter.resourceVersion).toBe((configBefore as { resourceVersion?: string }).resourceVersion);
    await untilCondition(east, 'link', 'to-west', 'Operational', 'True', 60_000);
  }, 300_000);

  test('bad input - each gets a condition or an error naming the problem, and no controller restarts', async () => {
    // A Link whose Secret is missing.
    await applyYaml(east, { apiVersion: 'skupper.io/v2alpha1', kind: 'Link', metadata: { name: 'no-secret' }, spec: { endpoints: [{ name: 'inter-router', host: '172.30.1.150', port: '55671' }], tlsCredentials: 'missing-secret', cost: 1 } });
    const link = await untilCondition(east, 'link', 'no-secret', 'Configured', 'False', 60_000);
    expect(condition(link, 'Configured')?.message).toContain('missing-secret');
    // An AccessToken with a wrong code.
    const grant = await grantFor(west, 'wrong-code', {});
    await applyYaml(east, { apiVersion: 'skupper.io/v2alpha1', kind: 'AccessToken', metadata: { name: 'wrong-code' }, spec: { url: grant.url, code: 'not-the-code', ca: grant.ca } });
    const refused = await untilCondition(east, 'accesstoken', 'wrong-code', 'Redeemed', 'False', 60_000);
    expect(condition(refused, 'Redeemed')?.message?.toLowerCase()).toContain('refused');
    // An expired grant.
    const expired = await grantFor(west, 'expired', { expirationWindow: '1s' });
    await waitFor('the grant to expire', async () => Date.parse(expired.expirationTime) < Date.now(), 10_000);
    await applyYaml(east, { apiVersion: 'skupper.io/v2alpha1', kind: 'AccessToken', metadata: { name: 'expired' }, spec: { url: expired.url, code: expired.code, ca: expired.ca } });
    const late = await untilCondition(east, 'accesstoken', 'expired', 'Redeemed', 'False', 60_000);
    expect(condition(late, 'Redeemed')?.message).toMatch(/no such claim|expired/i);
    // A used-up grant: the first redemption wins, the second is refused.
    const once = await grantFor(west, 'once', { redemptionsAllowed: 1 });
    await applyYaml(east, { apiVersion: 'skupper.io/v2alpha1', kind: 'AccessToken', metadata: { name: 'once-a' }, spec: { url: once.url, code: once.code, ca: once.ca } });
    await untilCondition(east, 'accesstoken', 'once-a', 'Redeemed', 'True', 60_000);
    await applyYaml(east, { apiVersion: 'skupper.io/v2alpha1', kind: 'AccessToken', metadata: { name: 'once-b' }, spec: { url: once.url, code: once.code, ca: once.ca } });
    const usedUp = await untilCondition(east, 'accesstoken', 'once-b', 'Redeemed', 'False', 60_000);
    expect(condition(usedUp, 'Redeemed')?.message).toMatch(/no such access granted|used/i);
    // A file that is not a token.
    const notToken = join(user.home, 'not-a-token.yaml');
    writeFileSync(notToken, stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
    const bad = await user.run(skiffIn(east, 'link', 'create', notToken));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not-a-token.yaml');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    // A Site with a link access type Skiff does not know: a second namespace of west's controller? No:
    // west's own Site, changed and changed back.
    await kubectl(west.admin, ['patch', 'site', 'west', '-n', west.ns, '--type=merge', '-p', '{"spec":{"linkAccess":"teleport"}}']);
    const site = await untilCondition(west, 'site', 'west', 'Configured', 'False', 60_000);
    expect(site.status?.message).toContain('teleport');
    await kubectl(west.admin, ['patch', 'site', 'west', '-n', west.ns, '--type=merge', '-p', '{"spec":{"linkAccess":"default"}}']);
    await untilCondition(west, 'site', 'west', 'Ready', 'True', 60_000);
    // The good link survived all of it.
    await untilCondition(east, 'link', 'to-west', 'Operational', 'True', 60_000);
    expect(await controllerRestarts(west)).toBe(0);
    expect(await controllerRestarts(east)).toBe(0);
    for (const name of ['no-secret']) await kubectl(east.admin, ['delete', 'link', name, '-n', east.ns]);
  }, 400_000);

  test('delete - nothing labelled as Skiff\'s is left in either namespace', async () => {
    for (const site of [east, west]) {
      await user.ok(skiffIn(site, 'delete'));
      const left = await kubectl(site.admin, ['get', 'all,configmaps,secrets,serviceaccounts,roles,rolebindings,sites,links,accessgrants,accesstokens,routeraccesses', '-n', site.ns, '-l', 'app.kubernetes.io/part-of=skiff,app.kubernetes.io/managed-by!=Helm', '-o', 'name']);
      expect(left.stdout.trim(), `left in ${site.ns}`).toBe('');
    }
  }, 180_000);
});

interface GrantStatus {
  url: string;
  code: string;
  ca: string;
  expirationTime: string;
}

async function grantFor(site: SiteEnv, name: string, spec: Record<string, unknown>): Promise<GrantStatus> {
  await applyYaml(site, { apiVersion: 'skupper.io/v2alpha1', kind: 'AccessGrant', metadata: { name }, spec });
  const grant = await untilCondition(site, 'accessgrant', name, 'Ready', 'True', 60_000);
  return grant.status as unknown as GrantStatus;
}
