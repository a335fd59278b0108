/**
 * The node agent as kubelet: graceful deletion and replacement, readiness and liveness probes,
 * restart policies, environment and volumes from the API, in-cluster API access with the
 * projected service-account token, ConfigMap and Secret updates reaching running pods, kubectl
 * logs through the kubelet API, the real version of the components, and clear reports for what
 * it cannot run.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestbed, type Testbed } from './src/testbed.js';
import { compiledScript } from './src/paths.js';
import { apply, clientPod, getJson, helloManifests, helm, kubectl, pods, untilReplies, waitFor, skipWithoutComponents } from './helpers.js';
import { versions } from './src/paths.js';

let tb: Testbed;
let kubeconfig: string;
let client: string;

async function serviceReplies(count: number): Promise<string[]> {
  const result = await tb.exec('c1', 'default', 'client', [process.execPath, client, 'get', 'http://hello/', String(count)]);
  return result.stdout.trim().split('\n');
}

async function readyEndpoints(): Promise<string[]> {
  type Slices = { items: { endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] }[] };
  const slices = await getJson<Slices>(kubeconfig, ['endpointslices', '-l', 'kubernetes.io/service-name=hello']);
  return slices.items.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).map((e) => e.addresses[0] ?? ''));
}

const readyHello = async () => (await pods(kubeconfig, 'app=hello')).filter((p) => p.ready);

type PodJson = {
  status: {
    phase: string;
    podIP?: string;
    containerStatuses?: { restartCount: number; state: { waiting?: { reason: string; message?: string }; terminated?: { exitCode: number } } }[];
  };
};

function pod(name: string, spec: object): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec };
}

describe.skipIf(skipWithoutComponents())('pods', () => {
  beforeAll(async () => {
    // Two nodes, so that pod-to-pod and Service traffic also crosses between nodes.
    tb = await startTestbed({ clusters: 1, nodesPerCluster: 2 });
    kubeconfig = tb.cluster('c1').kubeconfig;
    client = compiledScript('images/client');
    await apply(kubeconfig, [...helloManifests(), clientPod()]);
    await waitFor('2 ready hello pods and the client', async () => (await readyHello()).length === 2 && (await pods(kubeconfig, 'app=client'))[0]?.ready === true, 90_000);
  }, 180_000);

  afterAll(async () => {
    await tb?.stop();
  });

  test('pods - deleting a pod sends its process SIGTERM and the Deployment brings a new one up', async () => {
    const [victim] = await readyHello();
    if (!victim) throw new Error('no hello pod');
    const deleted = await kubectl(kubeconfig, ['delete', 'pod', victim.name, '--wait=true']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await tb.logs('c1', 'default', victim.name)).toContain(`hello ${victim.name} got SIGTERM`);
    await waitFor('a replacement pod', async () => {
      const ready = await readyHello();
      return ready.length === 2 && ready.every((p) => p.name !== victim.name);
    }, 60_000);
    await untilReplies('the Service to lead to the two current pods', () => serviceReplies(20), (await readyHello()).map((p) => p.name));
  });

  test('pods - a process that ignores SIGTERM is killed after the grace period', async () => {
    await apply(kubeconfig, [
      pod('stubborn', { terminationGracePeriodSeconds: 2, containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'trap "echo ignoring TERM" TERM; echo trap set; while true; do sleep 0.2; done'] }] }),
    ]);
    // Running means the process exists; on a busy machine the shell may not have set its trap yet.
    await waitFor('stubborn to set its trap', async () => (await tb.logs('c1', 'default', 'stubborn')).includes('trap set'), 30_000);
    const started = Date.now();
    const deleted = await kubectl(kubeconfig, ['delete', 'pod', 'stubborn', '--wait=true']);
    const took = Date.now() - started;
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(15_000);
    expect(await tb.logs('c1', 'default', 'stubborn')).toContain('ignoring TERM');
  });

  test('pods - a failing readiness probe removes the pod from the Service endpoints', async () => {
    const [a, b] = await readyHello();
    if (!a || !b) throw new Error('need two hello pods');
    await tb.exec('c1', 'default', 'client', [process.execPath, client, 'get', `http://${a.ip}:8080/set-unready`]);
    await waitFor('the endpoint to turn unready', async () => !(await readyEndpoints()).includes(a.ip), 30_000);
    expect(await readyEndpoints()).toContain(b.ip);
    await untilReplies('only the ready pod to answer', () => serviceReplies(12), [b.name]);
    await tb.exec('c1', 'default', 'client', [process.execPath, client, 'get', `http://${a.ip}:8080/set-ready`]);
    await waitFor('the endpoint to come back', async () => (await readyEndpoints()).includes(a.ip), 30_000);
    await untilReplies('both pods to answer again', () => serviceReplies(20), [a.name, b.name]);
  });

  test('pods - a liveness failure restarts the container and counts the restart', async () => {
    const [a] = await readyHello();
    if (!a) throw new Error('no hello pod');
    const before = a.restarts;
    await tb.exec('c1', 'default', 'client', [process.execPath, client, 'get', `http://${a.ip}:8080/set-dead`]);
    await waitFor('a restart', async () => (await pods(kubeconfig, 'app=hello')).some((p) => p.name === a.name && p.restarts === before + 1 && p.ready), 60_000);
    const log = await tb.logs('c1', 'default', a.name);
    expect(log).toContain('liveness probe failed');
    expect(log.match(/listening on 8080/g)).toHaveLength(before + 2);
  });

  test('pods - restartPolicy decides what a finished container leaves: Succeeded, Failed, or a restart', async () => {
    const once = (name: string, restartPolicy: string, code: number) =>
      pod(name, { restartPolicy, containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', `exit ${code}`] }] });
    await apply(kubeconfig, [once('ok-never', 'Never', 0), once('fail-never', 'Never', 3), once('fail-onfailure', 'OnFailure', 3)]);
    const status = async (name: string) => (await getJson<PodJson>(kubeconfig, ['pod', name])).status;
    await waitFor('finished pods', async () => (await status('ok-never')).phase === 'Succeeded' && (await status('fail-never')).phase === 'Failed', 30_000);
    expect((await status('fail-never')).containerStatuses?.[0]?.state.terminated?.exitCode).toBe(3);
    await waitFor('restarts of fail-onfailure', async () => ((await status('fail-onfailure')).containerStatuses?.[0]?.restartCount ?? 0) >= 2, 30_000);
  });

  test('pods - env and volumes come from the API: fieldRef, Secret and ConfigMap keys, files, emptyDir', async () => {
    await apply(kubeconfig, [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { colour: 'blue', 'app.conf': 'mode=fast\n' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { password: 's3cret' } },
      pod('inputs', {
        containers: [
          {
            name: 'main',
            image: 'busybox',
            command: ['sh', '-c', 'echo "name=$MY_NAME ns=$MY_NS ip=$MY_IP colour=$COLOUR pw=$PW greeting=$(GREETING)"; cat /etc/skiff-test/app.conf; cat /run/skiff-creds/password; echo; touch /scratch/x && echo scratch-ok; sleep 1000'],
            env: [
              { name: 'MY_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'MY_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'COLOUR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'colour' } } },
              { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
              { name: 'GREETING', value: 'hi-$(COLOUR)' },
            ],
            volumeMounts: [
              { name: 'conf', mountPath: '/etc/skiff-test' },
              { name: 'secret', mountPath: '/run/skiff-creds', readOnly: true },
              { name: 'scratch', mountPath: '/scratch' },
            ],
          },
        ],
        volumes: [
          { name: 'conf', configMap: { name: 'settings' } },
          { name: 'secret', secret: { secretName: 'creds' } },
          { name: 'scratch', emptyDir: {} },
        ],
      }),
    ]);
    await waitFor('inputs to run', async () => (await getJson<PodJson>(kubeconfig, ['pod', 'inputs'])).status.phase === 'Running', 30_000);
    const ip = (await getJson<PodJson>(kubeconfig, ['pod', 'inputs'])).status.podIP;
    await waitFor('its output', async () => (await tb.logs('c1', 'default', 'inputs')).includes('scratch-ok'), 10_000);
    const log = await tb.logs('c1', 'default', 'inputs');
    expect(log).toContain(`name=inputs ns=default ip=${ip} colour=blue pw=s3cret greeting=hi-blue`);
    expect(log).toContain('mode=fast');
    expect(log).toContain('s3cret');
    // Volumes are mounted for the container only: the host sees no file at those paths.
    expect(existsSync('/etc/skiff-test/app.conf')).toBe(false);
    const readOnly = await tb.exec('c1', 'default', 'inputs', ['sh', '-c', 'echo x > /run/skiff-creds/new']);
    expect(readOnly.code).not.toBe(0);
  });

  test('pods - a pod calls the API with its projected service-account token and CA', async () => {
    const script = `
      const fs = require('node:fs'); const https = require('node:https');
      const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
      const req = https.request({ host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT,
        path: '/api/v1/namespaces/default/pods', ca: fs.readFileSync(dir + '/ca.crt'),
        headers: { authorization: 'Bearer ' + fs.readFileSync(dir + '/token', 'utf8') } },
        (res) => { let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => console.log(res.statusCode, fs.readFileSync(dir + '/namespace', 'utf8'), JSON.parse(b).message)); });
      req.on('error', (e) => console.log('ERR', e.message)); req.end();`;
    const [a] = await readyHello();
    const result = await tb.exec('c1', 'default', a?.name ?? '', ['sh', '-c', `KUBERNETES_SERVICE_HOST=10.96.0.1 KUBERNETES_SERVICE_PORT=443 ${process.execPath} -e "$0"`, script]);
    // The default service account holds no rights: the API server identified it and said no.
    expect(result.stdout).toContain('403 default');
    expect(result.stdout).toContain('system:serviceaccount:default:default');
  });

  test('pods - pods on different nodes reach each other, over their pod IPs and through a Service (tcpSocket readiness)', async () => {
    const pinned = (name: string, node: string) => ({
      ...(pod(name, {
        nodeName: node,
        containers: [
          {
            name: 'echo',
            image: 'skiff-testbed/echo',
            env: [{ name: 'POD_NAME', value: name }],
            ports: [{ containerPort: 9090 }],
            readinessProbe: { tcpSocket: { port: 9090 }, periodSeconds: 1 },
          },
        ],
      }) as { metadata: object }),
      metadata: { name, labels: { app: 'echo' } },
    });
    await apply(kubeconfig, [
      pinned('echo-n1', 'c1-n1'),
      pinned('echo-n2', 'c1-n2'),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo' }, spec: { selector: { app: 'echo' }, ports: [{ port: 7, targetPort: 9090 }] } },
    ]);
    const ipOf = async (name: string) => (await getJson<PodJson>(kubeconfig, ['pod', name])).status.podIP ?? '';
    await waitFor('both echo pods', async () => (await pods(kubeconfig, 'app=echo')).filter((p) => p.ready).length === 2, 30_000);
    const [n1, n2] = [await ipOf('echo-n1'), await ipOf('echo-n2')];
    expect(n1.startsWith('10.244.1.')).toBe(true);
    expect(n2.startsWith('10.244.2.')).toBe(true);
    const tcp = async (pod: string, host: string, port: number) =>
      (await tb.exec('c1', 'default', pod, [process.execPath, client, 'tcp', host, String(port), 'ping'])).stdout.trim();
    expect(await tcp('echo-n1', n2, 9090)).toBe('echo-n2: ping');
    expect(await tcp('echo-n2', n1, 9090)).toBe('echo-n1: ping');
    const sixteen = async () => Promise.all(Array.from({ length: 16 }, () => tcp('echo-n1', 'echo', 7)));
    await untilReplies('the echo Service to spread over both nodes', sixteen, ['echo-n1: ping', 'echo-n2: ping']);
  });

  test('pods - init containers run first, in order, sharing volumes; exec probes run in the container; a failed init fails a Never pod', async () => {
    const shared = { name: 'work', mountPath: '/work-init' };
    await apply(kubeconfig, [
      pod('with-init', {
        initContainers: [
          { name: 'first', image: 'busybox', command: ['sh', '-c', 'echo one > /work-init/order'], volumeMounts: [shared] },
          { name: 'second', image: 'busybox', command: ['sh', '-c', 'echo two >> /work-init/order'], volumeMounts: [shared] },
        ],
        containers: [
          {
            name: 'main',
            image: 'busybox',
            command: ['sh', '-c', 'cat /work-init/order; sleep 1000'],
            volumeMounts: [shared],
            // Passes only inside the container's mount namespace, where the volume is.
            readinessProbe: { exec: { command: ['test', '-s', '/work-init/order'] }, periodSeconds: 1 },
          },
        ],
        volumes: [{ name: 'work', emptyDir: {} }],
      }),
      pod('init-fails', {
        restartPolicy: 'Never',
        initContainers: [{ name: 'broken', image: 'busybox', command: ['sh', '-c', 'exit 7'] }],
        containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo should not run'] }],
      }),
    ]);
    type InitJson = { status: { phase: string; initContainerStatuses?: { name: string; state: { terminated?: { exitCode: number } } }[] } };
    const status = async (name: string) => (await getJson<InitJson>(kubeconfig, ['pod', name])).status;
    await waitFor('with-init to be ready', async () => (await pods(kubeconfig, 'app!=x')).some((p) => p.name === 'with-init' && p.ready), 30_000);
    await waitFor('its output', async () => (await tb.logs('c1', 'default', 'with-init', 'main')).includes('two'), 10_000);
    expect(await tb.logs('c1', 'default', 'with-init', 'main')).toBe('one\ntwo\n');
    expect((await status('with-init')).initContainerStatuses?.map((c) => c.state.terminated?.exitCode)).toEqual([0, 0]);
    await waitFor('init-fails to fail', async () => (await status('init-fails')).phase === 'Failed', 30_000);
    expect((await status('init-fails')).initContainerStatuses?.[0]?.state.terminated?.exitCode).toBe(7);
    await expect(tb.logs('c1', 'default', 'init-fails', 'main')).rejects.toThrow();
  });

  test('pods - an image outside the image table is reported in the container status', async () => {
    await apply(kubeconfig, [pod('unknown', { containers: [{ name: 'main', image: 'example.com/nope:1' }] })]);
    await waitFor('the waiting reason', async () => {
      const waiting = (await getJson<PodJson>(kubeconfig, ['pod', 'unknown'])).status.containerStatuses?.[0]?.state.waiting;
      return waiting?.message?.includes('"example.com/nope:1" is not in the test bed\'s image table') ?? false;
    }, 30_000);
  });

  test('pods - kubectl version reports the real server version (not v0.0.0-master) and helm runs', async () => {
    const version = await kubectl(kubeconfig, ['version', '-o', 'json']);
    expect(version.code, version.stderr).toBe(0);
    const parsed = JSON.parse(version.stdout) as { clientVersion: { gitVersion: string }; serverVersion: { gitVersion: string; minor: string } };
    expect(parsed.serverVersion.gitVersion).toBe(versions().kubernetes);
    expect(parsed.serverVersion.gitVersion).toBe('v1.36.3');
    expect(parsed.clientVersion.gitVersion).toBe('v1.36.3');
    const nodeVersion = await kubectl(kubeconfig, ['get', 'node', 'c1-n1', '-o', 'jsonpath={.status.nodeInfo.kubeletVersion}']);
    expect(nodeVersion.stdout).toBe('v1.36.3');
    const helmVersion = await helm(kubeconfig, ['version', '--short']);
    expect(helmVersion.code, helmVersion.stderr).toBe(0);
    expect(helmVersion.stdout.trim()).toMatch(new RegExp(`^${versions().helm.replace(/\./g, '\\.')}`));
    const list = await helm(kubeconfig, ['list', '-A', '-o', 'json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  test('pods - kubectl logs reads containers on either node through the kubelet API: all, --tail, --previous, -f', async () => {
    const talker = (name: string, node: string, script: string, restartPolicy = 'Always') =>
      pod(name, {
        nodeName: node,
        restartPolicy,
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script], volumeMounts: [{ name: 'runs', mountPath: '/runs' }] }],
        volumes: [{ name: 'runs', emptyDir: {} }],
      });
    // Each run counts the runs before it; the first exits, so the second is a restart.
    const twice = 'n=$(ls /runs | wc -l); echo "run $n"; touch /runs/r$n; [ "$n" -ge 1 ] && exec sleep 1000; exit 1';
    await apply(kubeconfig, [
      talker('talk-n1', 'c1-n1', 'echo one; echo two; echo three; exec sleep 1000'),
      talker('talk-n2', 'c1-n2', twice),
      talker('ticker', 'c1-n1', 'for i in 1 2 3 4 5; do echo tick $i; sleep 0.4; done', 'Never'),
    ]);
    const logs = async (...args: string[]) => {
      const result = await kubectl(kubeconfig, ['logs', ...args]);
      expect(result.code, result.stderr).toBe(0);
      return result.stdout;
    };
    // Follow while it runs: the stream ends when the container does, with every line.
    await waitFor('ticker to run', async () => (await getJson<PodJson>(kubeconfig, ['pod', 'ticker'])).status.containerStatuses?.[0]?.state.waiting === undefined, 30_000);
    const followed = logs('-f', 'ticker');
    await waitFor('talk-n1 to write', async () => (await logs('talk-n1')) === 'one\ntwo\nthree\n', 30_000);
    expect(await logs('talk-n1', '--tail=1')).toBe('three\n');
    expect(await logs('talk-n1', '--tail=2')).toBe('two\nthree\n');
    await waitFor('talk-n2 to restart once', async () => (await logs('talk-n2')) === 'run 1\n', 30_000);
    expect(await logs('talk-n2', '--previous')).toBe('run 0\n');
    expect(await followed).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
    const missing = await kubectl(kubeconfig, ['logs', 'talk-n1', '-c', 'nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('nope');
  });

  test('pods - ConfigMap and Secret updates reach a running pod, directly and projected, a whole set at a time', async () => {
    await apply(kubeconfig, [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live' }, data: { colour: 'blue', size: 'small' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'live-secret' }, stringData: { token: 'first' } },
      pod('watcher', {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'main',
            image: 'busybox',
            command: ['sh', '-c', 'exec sleep 1000'],
            volumeMounts: [
              { name: 'plain', mountPath: '/etc/live', readOnly: true },
              { name: 'both', mountPath: '/etc/live-projected', readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: 'plain', configMap: { name: 'live' } },
          { name: 'both', projected: { sources: [{ configMap: { name: 'live', items: [{ key: 'colour', path: 'conf/colour' }] } }, { secret: { name: 'live-secret' } }] } },
        ],
      }),
    ]);
    const read = async (path: string) => {
      const result = await tb.exec('c1', 'default', 'watcher', ['cat', path]);
      return result.code === 0 ? result.stdout : `(${result.stderr.trim()})`;
    };
    await waitFor('watcher to run', async () => (await read('/etc/live/colour')) === 'blue', 30_000);
    expect(await read('/etc/live/size')).toBe('small');
    expect(await read('/etc/live-projected/conf/colour')).toBe('blue');
    expect(await read('/etc/live-projected/token')).toBe('first');
    await apply(kubeconfig, [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live' }, data: { colour: 'green', shape: 'round' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'live-secret' }, stringData: { token: 'second' } },
    ]);
    // kubelet takes up to a minute; the test bed, well under a second.
    await waitFor('the new colour in the pod', async () => (await read('/etc/live/colour')) === 'green', 5_000);
    // The whole new set: the new key appears and the dropped one is gone.
    expect(await read('/etc/live/shape')).toBe('round');
    expect(await read('/etc/live/size')).toMatch(/No such file/);
    await waitFor('the projected volume to follow', async () => (await read('/etc/live-projected/conf/colour')) === 'green' && (await read('/etc/live-projected/token')) === 'second', 10_000);
    // kubelet's layout: names are links through ..data, switched in one rename.
    const listing = await tb.exec('c1', 'default', 'watcher', ['ls', '-la', '/etc/live']);
    expect(listing.stdout).toMatch(/colour -> \.\.data\/colour/);
    expect(listing.stdout).toMatch(/\.\.data -> \.\.\d{4}_/);
  });
});
