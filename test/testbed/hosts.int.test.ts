/**
 * A plain host on the underlay (a VM beside the clusters): it reaches a LoadBalancer Service of
 * one cluster and a NodePort of another, pods reach a server on it by its underlay address, its
 * loopback is up, and stop() kills what runs on it and removes it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestbed, type Testbed } from './src/testbed.js';
import { compiledScript } from './src/paths.js';
import type { UnderlayHost } from './src/underlay-host.js';
import { underlayBase } from './src/underlay.js';
import { apply, clientPod, getJson, helloManifests, leftovers, pods, untilReplies, waitFor, skipWithoutComponents } from './helpers.js';

let tb: Testbed;
let vm: UnderlayHost;
let client: string;

type Svc = { spec: { ports: { nodePort?: number }[] }; status: { loadBalancer?: { ingress?: { ip: string }[] } } };

async function getFromHost(url: string, count: number): Promise<string[]> {
  const result = await vm.exec([process.execPath, client, 'get', url, String(count)]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split('\n');
}

describe.skipIf(skipWithoutComponents())('hosts', () => {
  beforeAll(async () => {
    tb = await startTestbed({ clusters: 2 });
    client = compiledScript('images/client');
    await apply(tb.cluster('c1').kubeconfig, [...helloManifests({ name: 'web', replicas: 1, serviceType: 'LoadBalancer' }), clientPod()]);
    await apply(tb.cluster('c2').kubeconfig, helloManifests({ name: 'api', replicas: 1, serviceType: 'NodePort' }));
    vm = await tb.addHost('vm1');
    for (const [cluster, selector] of [['c1', 'app in (web, client)'], ['c2', 'app=api']] as const) {
      const kubeconfig = tb.cluster(cluster).kubeconfig;
      const want = cluster === 'c1' ? 2 : 1;
      await waitFor(`ready pods in ${cluster}`, async () => (await pods(kubeconfig, selector)).filter((p) => p.ready).length === want, 90_000);
    }
  }, 240_000);

  afterAll(async () => {
    await tb?.stop();
  });

  test('hosts - a host has an underlay address outside every cluster, a namespace named skt-, and loopback up', async () => {
    expect(vm.address).toBe(`${underlayBase()}.250.1`);
    expect(vm.netns).toBe('skt-h-vm1');
    const lo = await vm.exec(['ip', '-j', 'addr', 'show', 'lo']);
    const [link] = JSON.parse(lo.stdout) as { flags: string[]; addr_info: { local: string }[] }[];
    expect(link?.flags).toContain('UP');
    expect(link?.addr_info.map((a) => a.local)).toContain('127.0.0.1');
    await expect(tb.addHost('vm1')).rejects.toThrow('already a host "vm1"');
    await expect(tb.addHost('Bad_Name')).rejects.toThrow(/host name "Bad_Name" must be/);
  });

  test('hosts - a host reaches a LoadBalancer Service of c1 and a NodePort of c2', async () => {
    let lb = '';
    await waitFor('the LoadBalancer address of web', async () => {
      lb = (await getJson<Svc>(tb.cluster('c1').kubeconfig, ['service', 'web'])).status.loadBalancer?.ingress?.[0]?.ip ?? '';
      return lb !== '';
    }, 30_000);
    const web = (await pods(tb.cluster('c1').kubeconfig, 'app=web')).map((p) => p.name);
    await untilReplies('web through its LoadBalancer address, from the host', () => getFromHost(`http://${lb}/`, 4), web);
    const c2 = tb.cluster('c2');
    const nodePort = (await getJson<Svc>(c2.kubeconfig, ['service', 'api'])).spec.ports[0]?.nodePort;
    const api = (await pods(c2.kubeconfig, 'app=api')).map((p) => p.name);
    await untilReplies('api through its NodePort, from the host', () => getFromHost(`http://${c2.nodes[0]?.underlayIp}:${nodePort}/`, 4), api);
  });

  test('hosts - a pod of c1 reaches a TCP server on the host by its underlay address; stop() kills it', async () => {
    const server = vm.spawn([process.execPath, compiledScript('images/echo')], { env: { POD_NAME: 'vm1', PORT: '9090' } });
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the echo server on the host', () => output.includes('listening on 9090'), 10_000);
    // Bound on every address of the host, loopback included.
    const local = await vm.exec([process.execPath, client, 'tcp', '127.0.0.1', '9090', 'local']);
    expect(local.stdout.trim()).toBe('vm1: local');
    const fromPod = await tb.exec('c1', 'default', 'client', [process.execPath, client, 'tcp', vm.address, '9090', 'ping']);
    expect(fromPod.stdout.trim(), fromPod.stderr).toBe('vm1: ping');
    const exited = new Promise((resolve) => server.once('exit', resolve));
    await tb.stop();
    await exited;
    expect(await leftovers(tb.stateDir)).toEqual({ namespaces: [], links: [], tables: [], processes: [], etcNetns: [], stateDir: [] });
  });
});
