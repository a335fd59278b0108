/**
 * Names of headless Services, as CoreDNS gives them: a StatefulSet's pods answer by
 * `pod.svc` in their namespace and `pod.svc.ns(.svc.cluster.local)` from any; a headless Service
 * without a selector whose EndpointSlice a controller wrote (addresses with hostnames) gives the
 * same names; names follow scale-down; a pod of a StatefulSet has its hostname and FQDN.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestbed, type Testbed } from './src/testbed.js';
import { compiledScript } from './src/paths.js';
import { apply, clientPod, getJson, kubectl, pods, untilReplies, waitFor, skipWithoutComponents } from './helpers.js';

let tb: Testbed;
let client: string;
let kubeconfig: string;
/** What a name missing from the hosts file gives: the resolver then asks 127.0.0.1:53, where nothing answers. */
const UNRESOLVED = 'ERR EAI_AGAIN';

/** `client get URL COUNT` inside a client pod; one reply (or ERR …) per line. */
async function getFrom(namespace: string, url: string, count = 1): Promise<string[]> {
  const result = await tb.exec('c1', namespace, 'client', [process.execPath, client, 'get', url, String(count)]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split('\n');
}

/** A StatefulSet of skiff-testbed/hello (no POD_NAME: it answers with its HOSTNAME) and its governing headless Service. */
function statefulSet(name: string, replicas: number): object[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { clusterIP: 'None', selector: { app: name }, ports: [{ name: 'http', port: 8080 }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name },
      spec: {
        serviceName: name,
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: 'hello',
                image: 'skiff-testbed/hello',
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 1, timeoutSeconds: 3 },
              },
            ],
          },
        },
      },
    },
  ];
}

describe.skipIf(skipWithoutComponents())('dns', () => {
  beforeAll(async () => {
    tb = await startTestbed({ clusters: 1 });
    client = compiledScript('images/client');
    kubeconfig = tb.cluster('c1').kubeconfig;
    await kubectl(kubeconfig, ['create', 'namespace', 'team']);
    await waitFor('the default service account of team', async () => (await kubectl(kubeconfig, ['get', 'serviceaccount', 'default', '-n', 'team'])).code === 0, 60_000);
    await apply(kubeconfig, [...statefulSet('db', 2), clientPod()]);
    await apply(kubeconfig, [clientPod()], 'team');
    await waitFor('2 ready db pods and both clients', async () => {
      const ready = async (selector: string, namespace = 'default') => (await pods(kubeconfig, selector, namespace)).filter((p) => p.ready).length;
      return (await ready('app=db')) === 2 && (await ready('app=client')) === 1 && (await ready('app=client', 'team')) === 1;
    }, 120_000);
  }, 240_000);

  afterAll(async () => {
    await tb?.stop();
  });

  test('dns - StatefulSet pods answer by pod.svc in their namespace and by pod.svc.ns(.svc.cluster.local) from another', async () => {
    await untilReplies('db-0.db', () => getFrom('default', 'http://db-0.db:8080/'), ['db-0']);
    expect(await getFrom('default', 'http://db-1.db:8080/')).toEqual(['db-1']);
    expect(await getFrom('default', 'http://db-1.db.default.svc.cluster.local:8080/')).toEqual(['db-1']);
    expect(await getFrom('team', 'http://db-0.db.default:8080/')).toEqual(['db-0']);
    expect(await getFrom('team', 'http://db-1.db.default.svc:8080/')).toEqual(['db-1']);
    // No search domains in a hosts file: the short form is for the Service's own namespace only, as CoreDNS's search would give it.
    expect(await getFrom('team', 'http://db-0.db:8080/')).toEqual([UNRESOLVED]);
    // The headless Service's own name gives its ready pods' addresses.
    expect(['db-0', 'db-1']).toContain((await getFrom('default', 'http://db:8080/'))[0]);
  });

  test('dns - a StatefulSet pod has its hostname and, as kubelet writes it, its FQDN in its own hosts file', async () => {
    const [db0] = (await pods(kubeconfig, 'statefulset.kubernetes.io/pod-name=db-0'));
    const hosts = await tb.exec('c1', 'default', 'db-0', ['cat', '/etc/hosts']);
    expect(hosts.stdout.split('\n')).toContain(`${db0?.ip}\tdb-0.db.default.svc.cluster.local\tdb-0`);
  });

  test('dns - a headless Service without a selector, with an EndpointSlice a controller wrote, gives its hostnames', async () => {
    // What the service-controller makes on a site that reaches a StatefulSet elsewhere: per-pod ClusterIP Services, and a
    // headless Service whose endpoints are those ClusterIPs under the pods' hostnames.
    const podService = (pod: string) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `p-${pod}` },
      spec: { selector: { 'statefulset.kubernetes.io/pod-name': pod }, ports: [{ name: 'http', port: 8080 }] },
    });
    await apply(kubeconfig, [podService('db-0'), podService('db-1'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'far' }, spec: { clusterIP: 'None', ports: [{ name: 'http', port: 8080 }] } }]);
    const clusterIp = async (name: string) => (await getJson<{ spec: { clusterIP: string } }>(kubeconfig, ['service', name])).spec.clusterIP;
    const endpoints = [
      { addresses: [await clusterIp('p-db-0')], hostname: 'far-0' },
      { addresses: [await clusterIp('p-db-1')], hostname: 'far-1' },
    ];
    await apply(kubeconfig, [
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'far', labels: { 'kubernetes.io/service-name': 'far', 'endpointslice.kubernetes.io/managed-by': 'test.skiff.io' } },
        addressType: 'IPv4',
        endpoints,
        ports: [{ name: 'http', port: 8080 }],
      },
    ]);
    await untilReplies('far-0.far', () => getFrom('default', 'http://far-0.far:8080/'), ['db-0']);
    expect(await getFrom('team', 'http://far-1.far.default.svc.cluster.local:8080/')).toEqual(['db-1']);
  });

  test('dns - scaling the StatefulSet down removes the name of the pod that went', async () => {
    expect((await kubectl(kubeconfig, ['scale', 'statefulset', 'db', '--replicas=1'])).code).toBe(0);
    await untilReplies('db-1.db no longer resolving', () => getFrom('default', 'http://db-1.db:8080/'), [UNRESOLVED]);
    expect(await getFrom('default', 'http://db-0.db:8080/')).toEqual(['db-0']);
  });
});
