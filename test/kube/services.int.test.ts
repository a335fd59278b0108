/**
 * Services across two test-bed clusters with the same pod and service CIDRs (ADR 0005, issue 11):
 * Skupper v2 Listener and Connector YAML applied with kubectl, the service-controller beside each
 * router turning them into Services and router bridges; scaling and readiness followed, bad input
 * reported in status, 200 concurrent 1 MiB streams intact, a Service taken over and restored
 * exactly, and one routing key served from both clusters, failing over when a router goes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestbed, type Testbed } from '../testbed/src/testbed.js';
import { compiledScript } from '../testbed/src/paths.js';
import { apply, clientPod, getJson, helloManifests, kubectl, pods, skipWithoutComponents, untilReplies, waitFor } from '../testbed/helpers.js';
import { applyYaml, condition, installChart, installCrds, linkSites, resource, ROUTER_PODS, seconds, skiffIn, untilCondition, type SiteEnv } from './kube-sites.js';
import { SkiffUser } from './skiff-binary.js';

let tb: Testbed;
const user = new SkiffUser();
let west: SiteEnv;
let east: SiteEnv;
const figures: Record<string, string> = {};

const node = process.execPath;

/** A Skupper v2 object as a user writes it. */
function v2(kind: 'Listener' | 'Connector', name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): object {
  return { apiVersion: 'skupper.io/v2alpha1', kind, metadata: { name, ...(annotations ? { annotations } : {}) }, spec };
}

/** A hello Deployment only (its own Service would stand in the way of the test's names). */
function helloDeployment(name: string, replicas: number): object {
  const [deployment] = helloManifests({ name, replicas });
  return deployment as object;
}

/**
 * GETs `url` from the client pod in west, `count` in all, `concurrency` at a time; one reply (a pod
 * name, or ERR …) per request. Requests overlap on purpose: the router sends a new stream to the
 * target with the fewest open ones, preferring this site's on a tie, so only overlapping requests
 * show every target (and a remote one next to a local one), as real traffic would.
 */
const CONCURRENT_GET = `
const http = require('node:http');
const [url, count, concurrency] = process.argv.slice(1);
const replies = [];
let next = 0;
function one() {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 3000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 ? body.trim() : 'ERR status ' + res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve('ERR ' + (e.code || e.message)));
  });
}
async function worker() {
  while (next < Number(count)) {
    next++;
    replies.push(await one());
  }
}
Promise.all(Array.from({ length: Number(concurrency) }, worker)).then(() => console.log(replies.join('\\n')));
`;

async function get(url: string, count: number, concurrency = Math.min(count, 6)): Promise<string[]> {
  const result = await tb.exec('c1', west.ns, 'client', [node, '-e', CONCURRENT_GET, url, String(count), String(concurrency)]);
  return result.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

async function podNames(site: SiteEnv, selector: string, readyOnly = true): Promise<string[]> {
  return (await pods(site.admin, selector, site.ns)).filter((p) => p.phase === 'Running' && (!readyOnly || p.ready)).map((p) => p.name).sort();
}

async function selectedPods(site: SiteEnv, connector: string): Promise<string[]> {
  const status = (await resource(site, 'connector', connector)).status as { selectedPods?: { name: string }[] } | undefined;
  return (status?.selectedPods ?? []).map((p) => p.name).sort();
}

async function routerRestarts(site: SiteEnv): Promise<number> {
  return (await pods(site.admin, ROUTER_PODS, site.ns)).reduce((n, p) => n + p.restarts, 0);
}

async function scale(site: SiteEnv, deployment: string, replicas: number): Promise<void> {
  const result = await kubectl(site.admin, ['scale', `deployment/${deployment}`, `--replicas=${replicas}`, '-n', site.ns]);
  expect(result.code, result.stderr).toBe(0);
}

/**
 * Sends `count` concurrent connections of `size` random bytes each to host:port, half-closes, and
 * checks the echo (after the echo pod's "<pod>: " prefix) by sha256; prints one JSON summary.
 * Runs as a pod in west, so the test bed's exec timeout does not bound it.
 */
const ECHO_LOAD = `
const net = require('node:net');
const crypto = require('node:crypto');
const { HOST, PORT, COUNT, SIZE } = process.env;
const size = Number(SIZE);
function one() {
  return new Promise((resolve) => {
    const data = crypto.randomBytes(size);
    const want = crypto.createHash('sha256').update(data).digest('hex');
    const chunks = [];
    const socket = net.connect({ host: HOST, port: Number(PORT) }, () => socket.end(data));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (e) => resolve({ ok: false, why: e.code || e.message }));
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const at = all.indexOf(': ');
      const body = at < 0 ? all : all.subarray(at + 2);
      const got = crypto.createHash('sha256').update(body).digest('hex');
      resolve(got === want ? { ok: true, pod: all.subarray(0, at).toString() } : { ok: false, why: 'bytes differ (' + body.length + ' of ' + size + ')' });
    });
  });
}
const started = Date.now();
Promise.all(Array.from({ length: Number(COUNT) }, one)).then((results) => {
  const failures = results.filter((r) => !r.ok).map((r) => r.why);
  const pods = [...new Set(results.filter((r) => r.ok).map((r) => r.pod))].sort();
  console.log('RESULT ' + JSON.stringify({ ok: results.length - failures.length, failures: failures.slice(0, 5), failed: failures.length, pods, ms: Date.now() - started }));
});
`;

interface LoadResult {
  ok: number;
  failed: number;
  failures: string[];
  pods: string[];
  ms: number;
}

async function echoLoad(host: string, port: number, count: number, size: number): Promise<LoadResult> {
  const name = `echo-load-${Date.now().toString(36)}`;
  await apply(west.admin, [{
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      restartPolicy: 'Never',
      containers: [{
        name: 'load',
        image: 'skiff-testbed/client',
        command: [node, '-e', ECHO_LOAD],
        env: Object.entries({ HOST: host, PORT: String(port), COUNT: String(count), SIZE: String(size) }).map(([k, v]) => ({ name: k, value: v })),
      }],
    },
  }], west.ns);
  let phase = '';
  await waitFor(`pod ${name} to finish`, async () => {
    phase = (await getJson<{ status: { phase?: string } }>(west.admin, ['pod', name, '-n', west.ns])).status.phase ?? '';
    return phase === 'Succeeded' || phase === 'Failed';
  }, 240_000);
  const log = await tb.logs('c1', west.ns, name, 'load');
  const line = log.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`pod ${name} ended ${phase} without a result: ${log.slice(-2000)}`);
  return JSON.parse(line.slice('RESULT '.length)) as LoadResult;
}

describe.skipIf(skipWithoutComponents())('kubernetes services', () => {
  beforeAll(async () => {
    tb = await startTestbed({ clusters: 2 });
    await installCrds(tb);
    west = await installChart(tb, 'c1', 'west');
    east = await installChart(tb, 'c2', 'east');
    await Promise.all([user.ok(skiffIn(west, 'init', '--enable-link-access')), user.ok(skiffIn(east, 'init'))]);
    // The link is named like the router's management listener: router names are unique across
    // entity types, so a connector named `amqp` was refused and the router could not restart.
    await linkSites(user, east, west, 'amqp');
    await apply(west.admin, [clientPod()], west.ns);
    await apply(east.admin, [helloDeployment('hello', 2)], east.ns);
    await waitFor('the client pod in west running', async () => (await podNames(west, 'app=client')).length === 1, 120_000);
    await waitFor('2 hello pods ready in east', async () => (await podNames(east, 'app=hello')).length === 2, 120_000);
  }, 420_000);

  afterAll(async () => {
    if (Object.keys(figures).length > 0) console.log(`kubernetes services figures: ${JSON.stringify(figures)}`);
    await tb?.stop();
  }, 300_000);

  test('v2 yaml - a Listener in c1 and a Connector in c2 applied with kubectl: http://hello:8080/ from c1 answers with c2\'s pod names, spread over both', async () => {
    const started = Date.now();
    await applyYaml(west, v2('Listener', 'hello', { routingKey: 'hello', host: 'hello', port: 8080 }));
    await applyYaml(east, v2('Connector', 'hello', { routingKey: 'hello', selector: 'app=hello', port: 8080 }));
    await waitFor('a first answer from hello in c1', async () => (await get('http://hello:8080/', 1)).some((r) => r.startsWith('hello-')), 120_000);
    figures['Listener+Connector applied to first answer in c1'] = seconds(started);
    const eastPods = await podNames(east, 'app=hello');
    const replies = await untilReplies('answers from both of c2\'s hello pods', () => get('http://hello:8080/', 20), eastPods, 60_000);
    expect(replies.every((r) => eastPods.includes(r))).toBe(true);

    const listener = await untilCondition(west, 'listener', 'hello', 'Ready', 'True', 60_000);
    expect(listener.status?.['hasMatchingConnector']).toBe(true);
    for (const c of listener.status?.conditions ?? []) expect(c.observedGeneration).toBe(listener.metadata.generation);
    const connector = await untilCondition(east, 'connector', 'hello', 'Ready', 'True', 60_000);
    expect(connector.status?.['hasMatchingListener']).toBe(true);
    expect(await selectedPods(east, 'hello')).toEqual(eastPods);
    // The Service the Listener made: ClusterIP, owned by the Listener, leading to the router pods.
    const service = await getJson<{ metadata: { ownerReferences?: { kind: string; name: string; controller?: boolean }[]; annotations?: Record<string, string> }; spec: { type: string; selector: Record<string, string>; ports: { port: number; targetPort: number }[] } }>(west.admin, ['service', 'hello', '-n', west.ns]);
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'skupper-router', 'skupper.io/component': 'router', 'skupper.io/site': 'west' });
    expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'port-8080', port: 8080, targetPort: 8080 })]);
    expect(service.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Listener', name: 'hello' })]);
    expect(service.metadata.ownerReferences?.[0]?.controller).not.toBe(true);
    expect(service.metadata.annotations?.['internal.skupper.io/controlled']).toBe('true');
  }, 300_000);

  test('scale - c2 2 → 0 → 2: refused at 0, answers again after; selectedPods follows', async () => {
    await scale(east, 'hello', 0);
    await waitFor('selectedPods empty', async () => (await selectedPods(east, 'hello')).length === 0, 60_000);
    const connector = await resource(east, 'connector', 'hello');
    expect(connector.status?.message).toMatch(/No running, ready pod .* matches spec.selector 'app=hello'/);
    await waitFor('every request from c1 refused', async () => (await get('http://hello:8080/', 5)).every((r) => r.startsWith('ERR')), 60_000);
    expect((await get('http://hello:8080/', 5)).every((r) => r.startsWith('ERR'))).toBe(true);

    const started = Date.now();
    await scale(east, 'hello', 2);
    await waitFor('an answer from a new hello pod in c1', async () => (await get('http://hello:8080/', 1)).some((r) => r.startsWith('hello-')), 120_000);
    figures['scale 0 → 2 to first answer from a new pod'] = seconds(started);
    await waitFor('2 hello pods ready in east', async () => (await podNames(east, 'app=hello')).length === 2, 120_000);
    const eastPods = await podNames(east, 'app=hello');
    await untilReplies('answers from both new pods', () => get('http://hello:8080/', 20), eastPods, 60_000);
    await waitFor('selectedPods = the new pods', async () => JSON.stringify(await selectedPods(east, 'hello')) === JSON.stringify(eastPods), 30_000);

    // Scale-up with traffic flowing: the time until the added pod answers.
    const before = new Set(eastPods);
    const upStarted = Date.now();
    await scale(east, 'hello', 3);
    await waitFor('an answer from the third pod', async () => (await get('http://hello:8080/', 6)).some((r) => r.startsWith('hello-') && !before.has(r)), 120_000);
    figures['scale 2 → 3 to traffic on the new pod'] = seconds(upStarted);
    await scale(east, 'hello', 2);
    await waitFor('2 hello pods in east', async () => (await podNames(east, 'app=hello', false)).length === 2, 120_000);
  }, 400_000);

  test('readiness - a pod that turns unready loses its connector; ready again, it gets it back', async () => {
    let eastPods: string[] = [];
    await waitFor('selectedPods = both ready pods', async () => {
      eastPods = await podNames(east, 'app=hello');
      return eastPods.length === 2 && JSON.stringify(await selectedPods(east, 'hello')) === JSON.stringify(eastPods);
    }, 60_000);
    const [sick, well] = eastPods as [string, string];
    const set = (pod: string, path: string) => tb.exec('c2', east.ns, pod, [node, compiledScript('images/client'), 'get', `http://127.0.0.1:8080${path}`, '1']);
    await set(sick, '/set-unready');
    await waitFor(`${sick} out of selectedPods`, async () => JSON.stringify(await selectedPods(east, 'hello')) === JSON.stringify([well]), 60_000);
    await untilReplies(`answers only from ${well}`, () => get('http://hello:8080/', 12), [well], 30_000);
    await set(sick, '/set-ready');
    await waitFor(`${sick} back in selectedPods`, async () => (await selectedPods(east, 'hello')).length === 2, 60_000);
    await untilReplies('answers from both again', () => get('http://hello:8080/', 20), eastPods, 60_000);
  }, 240_000);

  test('names - Listeners named like the router\'s own entities (the amqp listener, the site\'s sslProfile) serve all the same', async () => {
    // The router's names are unique across entity types: a tcpListener named `amqp` would be refused.
    const names = ['amqp', 'skupper-site-server'];
    for (const name of names) await applyYaml(west, v2('Listener', name, { routingKey: 'hello', host: name, port: 8080 }));
    for (const name of names) {
      await waitFor(`an answer from hello through Listener ${name}`, async () => (await get(`http://${name}:8080/`, 1)).some((r) => r.startsWith('hello-')), 60_000);
    }
    expect(await routerRestarts(west)).toBe(0);
    for (const name of names) await kubectl(west.admin, ['delete', 'listener', name, '-n', west.ns]);
  }, 180_000);

  test('bad input - each a status condition naming the field and the fix; the service-controller keeps running', async () => {
    await applyYaml(west, v2('Listener', 'bad-port', { routingKey: 'x', host: 'bad-port', port: 70000 }));
    const badPort = await untilCondition(west, 'listener', 'bad-port', 'Configured', 'False', 60_000);
    expect(condition(badPort, 'Configured')?.message).toMatch(/spec\.port is 70000: it must be a port number 1-65535/);
    expect(badPort.status?.status).toBe('Error');

    await applyYaml(west, v2('Listener', 'no-key', { routingKey: '', host: 'no-key', port: 8080 }));
    expect(condition(await untilCondition(west, 'listener', 'no-key', 'Configured', 'False', 60_000), 'Configured')?.message).toMatch(/spec\.routingKey is empty/);

    await applyYaml(east, v2('Connector', 'no-target', { routingKey: 'x', selector: '', port: 8080 }));
    expect(condition(await untilCondition(east, 'connector', 'no-target', 'Configured', 'False', 60_000), 'Configured')?.message).toMatch(/neither spec\.selector nor spec\.host/);

    // Both selector and host: the CRD itself refuses it, with the API's message.
    const both = await kubectl(east.kubeconfig, ['apply', '-n', east.ns, '-f', '-'], JSON.stringify(v2('Connector', 'both', { routingKey: 'x', selector: 'app=x', host: 'x', port: 1 })));
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/oneOf|selector|host/);

    await applyYaml(east, v2('Connector', 'nobody', { routingKey: 'nobody', selector: 'app=nobody', port: 8080 }));
    const nobody = await untilCondition(east, 'connector', 'nobody', 'Configured', 'True', 60_000);
    expect(condition(nobody, 'Configured')?.message).toMatch(/No running, ready pod in namespace east matches spec\.selector 'app=nobody'/);
    expect(nobody.status?.['selectedPods']).toEqual([]);

    // A Service of the Listener's host that Skiff does not own, and no take-over asked.
    await apply(west.admin, [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'mine' }, spec: { selector: { app: 'mine' }, ports: [{ port: 80, targetPort: 8080 }] } }], west.ns);
    await applyYaml(west, v2('Listener', 'mine', { routingKey: 'hello', host: 'mine', port: 80 }));
    const conflict = await untilCondition(west, 'listener', 'mine', 'Configured', 'False', 60_000);
    expect(condition(conflict, 'Configured')?.reason).toBe('ServiceConflict');
    expect(condition(conflict, 'Configured')?.message).toMatch(/Service mine exists and Skiff does not own it: .*skiff\.io\/take-over-service/);
    const untouched = await getJson<{ spec: { selector: Record<string, string> } }>(west.admin, ['service', 'mine', '-n', west.ns]);
    expect(untouched.spec.selector).toEqual({ app: 'mine' });

    // Nothing else disturbed: hello still answers, and no container of the router pods restarted.
    expect((await get('http://hello:8080/', 3)).every((r) => r.startsWith('hello-'))).toBe(true);
    expect(await routerRestarts(west)).toBe(0);
    expect(await routerRestarts(east)).toBe(0);
    for (const name of ['bad-port', 'no-key', 'mine']) await kubectl(west.admin, ['delete', 'listener', name, '-n', west.ns]);
    for (const name of ['no-target', 'nobody']) await kubectl(east.admin, ['delete', 'connector', name, '-n', east.ns]);
    await kubectl(west.admin, ['delete', 'service', 'mine', '-n', west.ns]);
  }, 300_000);

  test('bytes intact - 200 concurrent connections of 1 MiB each from c1 to an echo Deployment in c2, every one checked by sha256', async () => {
    await apply(east.admin, [{
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'echo' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'echo' } },
        template: {
          metadata: { labels: { app: 'echo' } },
          spec: { containers: [{ name: 'echo', image: 'skiff-testbed/echo', env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }], ports: [{ containerPort: 9090 }] }] },
        },
      },
    }], east.ns);
    // 9090 is the router's health port: the Listener's tcpListener gets another router port.
    await applyYaml(west, v2('Listener', 'echo', { routingKey: 'echo', host: 'echo', port: 9090 }));
    await applyYaml(east, v2('Connector', 'echo', { routingKey: 'echo', selector: 'app=echo', port: 9090, includeNotReadyPods: true }));
    await waitFor('the echo connector selects 2 pods', async () => (await selectedPods(east, 'echo')).length === 2, 120_000);
    await untilCondition(west, 'listener', 'echo', 'Ready', 'True', 60_000);
    const service = await getJson<{ spec: { ports: { port: number; targetPort: number }[] } }>(west.admin, ['service', 'echo', '-n', west.ns]);
    expect(service.spec.ports[0]?.port).toBe(9090);
    expect(service.spec.ports[0]?.targetPort).not.toBe(9090);
    const warm = await echoLoad('echo', 9090, 1, 1024);
    expect(warm.ok, JSON.stringify(warm)).toBe(1);
    const result = await echoLoad('echo', 9090, 200, 1024 * 1024);
    figures['200 × 1 MiB echo from c1 to c2'] = `${(result.ms / 1000).toFixed(1)} s`;
    expect(result, JSON.stringify(result)).toMatchObject({ ok: 200, failed: 0 });
    expect(result.pods).toEqual(await podNames(east, 'app=echo', false));
  }, 400_000);

  test('take-over - a Listener annotated skiff.io/take-over-service takes an existing Service; released, it gets its selector and ports back exactly', async () => {
    const original = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'legacy', labels: { team: 'a' }, annotations: { note: 'kept' } },
      spec: {
        selector: { app: 'legacy', tier: 'web' },
        ports: [
          { name: 'web', port: 8080, targetPort: 'http', protocol: 'TCP' },
          { name: 'admin', port: 9000, targetPort: 9001, protocol: 'TCP' },
        ],
      },
    };
    await apply(west.admin, [original], west.ns);
    type Svc = { metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: unknown[] }; spec: { clusterIP: string; selector?: Record<string, string>; ports: Record<string, unknown>[] } };
    const before = await getJson<Svc>(west.admin, ['service', 'legacy', '-n', west.ns]);
    await applyYaml(west, v2('Listener', 'legacy', { routingKey: 'hello', host: 'legacy', port: 8080 }, { 'skiff.io/take-over-service': 'true' }));
    await untilCondition(west, 'listener', 'legacy', 'Ready', 'True', 60_000);
    const taken = await getJson<Svc>(west.admin, ['service', 'legacy', '-n', west.ns]);
    expect(taken.spec.selector).toEqual({ 'app.kubernetes.io/name': 'skupper-router', 'skupper.io/component': 'router', 'skupper.io/site': 'west' });
    expect(taken.spec.ports.map((p) => p['port'])).toEqual([8080]);
    expect(taken.spec.clusterIP).toBe(before.spec.clusterIP);
    expect(taken.metadata.ownerReferences ?? []).toEqual([]);
    expect(JSON.parse(taken.metadata.annotations?.['skiff.io/original-selector'] ?? 'null')).toEqual(before.spec.selector);
    await waitFor('hello answers through the taken-over Service', async () => (await get('http://legacy:8080/', 1)).some((r) => r.startsWith('hello-')), 60_000);

    await kubectl(west.admin, ['delete', 'listener', 'legacy', '-n', west.ns]);
    let after: Svc | undefined;
    await waitFor('the Service restored', async () => {
      after = await getJson<Svc>(west.admin, ['service', 'legacy', '-n', west.ns]);
      return after.metadata.annotations?.['skiff.io/original-selector'] === undefined;
    }, 60_000);
    const restored = after as Svc;
    expect(restored.spec.selector).toEqual(before.spec.selector);
    expect(restored.spec.ports).toHaveLength(before.spec.ports.length);
    before.spec.ports.forEach((port, i) => {
      for (const field of Object.keys(port)) expect(restored.spec.ports[i]?.[field], `ports[${i}].${field}`).toEqual(port[field]);
      expect(Object.keys(restored.spec.ports[i] ?? {}).sort()).toEqual(Object.keys(port).sort());
    });
    expect(restored.spec.clusterIP).toBe(before.spec.clusterIP);
    expect(restored.metadata.labels).toEqual(before.metadata.labels);
    expect(restored.metadata.annotations?.['note']).toBe('kept');
    for (const mark of ['skiff.io/original-selector', 'skiff.io/original-ports', 'internal.skupper.io/controlled']) expect(restored.metadata.annotations ?? {}).not.toHaveProperty(mark);
    await kubectl(west.admin, ['delete', 'service', 'legacy', '-n', west.ns]);
  }, 240_000);

  test('two clusters, one routing key - clients in c1 reach pods of both; c2\'s router pod killed, every new connection goes to c1', async () => {
    await apply(west.admin, [helloDeployment('hello-west', 1)], west.ns);
    await waitFor('hello-west ready in c1', async () => (await podNames(west, 'app=hello-west')).length === 1, 120_000);
    await applyYaml(west, v2('Connector', 'hello-west', { routingKey: 'hello', selector: 'app=hello-west', port: 8080 }));
    const westPods = await podNames(west, 'app=hello-west');
    const eastPods = await podNames(east, 'app=hello');
    // Overlapping requests: the router prefers this site's pod until it is busier than the remote route costs.
    await untilReplies('answers from pods of both clusters', () => get('http://hello:8080/', 40, 12), [...westPods, ...eastPods], 90_000);

    const [router] = await pods(east.admin, ROUTER_PODS, east.ns);
    const started = Date.now();
    await kubectl(east.admin, ['delete', 'pod', router?.name ?? '', '-n', east.ns, '--wait=false']);
    await untilReplies('answers from c1 only', () => get('http://hello:8080/', 10), westPods, 90_000);
    figures['c2 router pod deleted to all answers from c1'] = seconds(started);
    const replies = await get('http://hello:8080/', 40, 12);
    expect(replies).toEqual(replies.map(() => westPods[0]));

    // The new router pod: its service-controller brings the bridges back and c2 answers again.
    const back = Date.now();
    await untilReplies('answers from both clusters again', () => get('http://hello:8080/', 40, 12), [...westPods, ...eastPods], 180_000);
    figures['c2 router pod deleted to c2 answering again'] = seconds(back);
  }, 400_000);
});

