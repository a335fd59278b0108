/**
 * Two real clusters with overlapping pod and service CIDRs: Deployments become Running, Ready
 * pods; ClusterIP Services answer by name and spread over pods; nothing of cluster 2 is
 * reachable from cluster 1 except through its LoadBalancer address or NodePort; a namespaced
 * user is confined to its namespace; and stop() leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CoreV1Api, AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { startTestbed, type Testbed } from './src/testbed.js';
import { compiledScript } from './src/paths.js';
import { apply, clientPod, getJson, helloManifests, kubectl, leftovers, pods, untilReplies, waitFor, type PodSummary, skipWithoutComponents } from './helpers.js';

let tb: Testbed;
const hello: Record<string, PodSummary[]> = {};
let client: string;

/** `client get URL COUNT` inside a pod (the client by default); one reply (or ERR …) per line. */
async function getFrom(cluster: string, url: string, count: number, pod = 'client'): Promise<string[]> {
  const result = await tb.exec(cluster, 'default', pod, [process.execPath, client, 'get', url, String(count)]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split('\n');
}

describe.skipIf(skipWithoutComponents())('clusters', () => {
  beforeAll(async () => {
    tb = await startTestbed({ clusters: 2 });
    client = compiledScript('images/client');
    for (const c of tb.clusters) {
      await apply(c.kubeconfig, [...helloManifests(), clientPod()]);
      await apply(c.kubeconfig, helloManifests({ name: 'hello-lb', replicas: 2, serviceType: 'LoadBalancer' }));
    }
    for (const c of tb.clusters) {
      await waitFor(`2 ready hello pods in ${c.name}`, async () => {
        const list = await pods(c.kubeconfig, 'app=hello');
        hello[c.name] = list;
        return list.length === 2 && list.every((p) => p.ready && p.phase === 'Running');
      }, 90_000);
      await waitFor(`client pod in ${c.name}`, async () => (await pods(c.kubeconfig, 'app=client'))[0]?.ready === true, 60_000);
    }
  }, 240_000);

  afterAll(async () => {
    await tb?.stop();
  });

  test('clusters - a 2-replica Deployment becomes 2 Running, Ready pods with IPs in 10.244.0.0/16', () => {
    for (const c of tb.clusters) {
      const list = hello[c.name] ?? [];
      expect(list).toHaveLength(2);
      for (const p of list) expect(p.ip).toMatch(/^10\.244\.\d+\.\d+$/);
    }
  });

  test('clusters - both clusters hand out the same pod IPs (overlapping CIDRs)', async () => {
    const ips = async (kubeconfig: string) =>
      new Set((await pods(kubeconfig, 'app in (hello, hello-lb, client)')).map((p) => p.ip));
    const [c1, c2] = await Promise.all(tb.clusters.map((c) => ips(c.kubeconfig)));
    expect([...(c1 ?? [])].filter((ip) => c2?.has(ip)).length).toBeGreaterThan(0);
  });

  test('clusters - a ClusterIP Service answers by every name form and spreads over both pods', async () => {
    for (const c of tb.clusters) {
      const names = (hello[c.name] ?? []).map((p) => p.name);
      for (const host of ['hello', 'hello.default', 'hello.default.svc.cluster.local']) {
        await untilReplies(`http://${host}/ in ${c.name} to spread over both pods`, () => getFrom(c.name, `http://${host}/`, 20), names);
      }
    }
  });

  test('clusters - a pod reaches a Service that leads back to itself (hairpin)', async () => {
    const self = hello['c1']?.[0];
    expect(self).toBeDefined();
    // Replies from both pods, the asking one included, and no failures.
    await untilReplies('hello to answer its own pod', () => getFrom('c1', 'http://hello/', 12, self?.name), (hello['c1'] ?? []).map((p) => p.name));
  });

  test('clusters - no pod IP or ClusterIP of cluster 2 ever answers a pod of cluster 1', async () => {
    const c2Names = new Set([...(hello['c2'] ?? []).map((p) => p.name)]);
    const c1Names = new Set((hello['c1'] ?? []).map((p) => p.name));
    expect([...c2Names].some((n) => c1Names.has(n))).toBe(false);
    type Svc = { spec: { clusterIP: string } };
    const c2ClusterIp = (await getJson<Svc>(tb.cluster('c2').kubeconfig, ['service', 'hello'])).spec.clusterIP;
    const targets = [...(hello['c2'] ?? []).map((p) => `http://${p.ip}:8080/`), `http://${c2ClusterIp}/`];
    for (const url of targets) {
      for (const reply of await getFrom('c1', url, 4)) expect(c2Names.has(reply), `${url} answered ${reply}`).toBe(false);
    }
  });

  test('clusters - a LoadBalancer Service of cluster 2 gets an underlay address and answers cluster 1 with cluster-2 pods', async () => {
    const c2 = tb.cluster('c2');
    type Svc = { spec: { ports: { nodePort?: number }[] }; status: { loadBalancer?: { ingress?: { ip: string }[] } } };
    let svc: Svc | undefined;
    await waitFor('a LoadBalancer address', async () => {
      svc = await getJson<Svc>(c2.kubeconfig, ['service', 'hello-lb']);
      return Boolean(svc.status.loadBalancer?.ingress?.[0]?.ip);
    }, 30_000);
    const ip = svc?.status.loadBalancer?.ingress?.[0]?.ip ?? '';
    expect(ip).toMatch(/^172\.30\.2\.\d+$/);
    await waitFor('2 ready hello-lb pods in c2', async () => (await pods(c2.kubeconfig, 'app=hello-lb')).filter((p) => p.ready).length === 2, 60_000);
    const lbNames = (await pods(c2.kubeconfig, 'app=hello-lb')).map((p) => p.name);
    await untilReplies('the LoadBalancer address to answer c1 with both c2 pods', () => getFrom('c1', `http://${ip}/`, 20), lbNames);
    // NodePort on the node's underlay address works from the other cluster too.
    const nodePort = svc?.spec.ports[0]?.nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    await untilReplies('the NodePort to answer c1', () => getFrom('c1', `http://${c2.nodes[0]?.underlayIp}:${nodePort}/`, 20), lbNames);
  });

  test('clusters - a user with only a namespaced Role works in its namespace and gets 403 elsewhere', async () => {
    const path = await tb.namespacedUser('c1', { user: 'site-user', namespace: 'team-a' });
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const [deployment, service] = helloManifests({ name: 'mine' }) as [object, object];
    await apps.createNamespacedDeployment({ namespace: 'team-a', body: deployment });
    await core.createNamespacedService({ namespace: 'team-a', body: service });
    await core.createNamespacedConfigMap({ namespace: 'team-a', body: { metadata: { name: 'cm' }, data: { a: 'b' } } });
    await core.createNamespacedSecret({ namespace: 'team-a', body: { metadata: { name: 's' }, stringData: { a: 'b' } } });
    const status = (p: Promise<unknown>) => p.then(() => 200, (e: { code?: number }) => e.code);
    expect(await status(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cm' } } }))).toBe(403);
    expect(await status(core.listNamespacedSecret({ namespace: 'kube-system' }))).toBe(403);
    expect(await status(core.listNode())).toBe(403);
    expect(await status(core.createNamespace({ body: { metadata: { name: 'elsewhere' } } }))).toBe(403);
    // The user's Deployment really runs: the controllers and node agent serve every namespace.
    const admin = tb.cluster('c1').kubeconfig;
    await waitFor('the user deployment to be ready', async () => (await pods(admin, 'app=mine', 'team-a')).filter((p) => p.ready).length === 2, 60_000);
    const denied = await kubectl(path, ['get', 'pods', '-n', 'default']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/forbidden/i);
  });

  test('clusters - stop() leaves no namespace, link, nft table, process or state behind', async () => {
    const before = await leftovers(tb.stateDir);
    expect(before.namespaces.length).toBeGreaterThan(0);
    expect(before.processes.length).toBeGreaterThan(0);
    await tb.stop();
    expect(await leftovers(tb.stateDir)).toEqual({ namespaces: [], links: [], tables: [], processes: [], etcNetns: [], stateDir: [] });
  });
});
