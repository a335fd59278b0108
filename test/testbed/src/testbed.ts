/**
 * startTestbed(): N real Kubernetes clusters on this machine, for vitest and for `testbed up`.
 *
 *   host netns: etcd, kube-apiserver, controller-manager, scheduler per cluster (loopback ports)
 *               this process: node agent + service proxy per cluster
 *   skt-underlay: br0 ── skt-c1-n1 (cbr0 10.244.1.0/24, pods) ── skt-c2-n1 (cbr0 10.244.1.0/24, pods)
 *
 * Every cluster has pod CIDR 10.244.0.0/16 and service CIDR 10.96.0.0/12: they overlap, and
 * only LoadBalancer addresses and NodePorts on the underlay reach from one cluster into another.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api, DiscoveryV1Api, KubeConfig, type V1EndpointSlice, type V1Service } from '@kubernetes/client-node';
import { fileLog } from './agent-log.js';
import { cleanupAll } from './cleanup.js';
import { checkRunning, startControlPlane, stopControlPlane, type ControlPlane } from './control-plane.js';
import { TestbedError } from './errors.js';
import { makeNamespacedUser, type NamespacedUserRequest } from './namespaced-user.js';
import { NodeAgent } from './node-agent.js';
import { createNodeNetwork, nodeNetwork, type NodeNetwork } from './node-network.js';
import { stateDir, versions } from './paths.js';
import { execInPod, readPodLog, signalContainer, type ExecResult } from './pod-access.js';
import { checkPrerequisites } from './prerequisites.js';
import { ServiceProxy } from './service-proxy.js';
import { checkUnderlayFree, createUnderlay } from './underlay.js';
import { createUnderlayHost, type UnderlayHost } from './underlay-host.js';
import { waitFor } from './wait.js';
import { WatchCache } from './watch-cache.js';

export interface TestbedOptions {
  /** Number of clusters, named c1, c2, … (default 1). */
  clusters?: number;
  /** Nodes per cluster (default 1). */
  nodesPerCluster?: number;
  /** Remove leftovers of an earlier run first (default true). */
  cleanLeftovers?: boolean;
}

export interface Cluster {
  name: string;
  index: number;
  server: string;
  /** Path of the admin kubeconfig (group system:masters). */
  kubeconfig: string;
  kc: KubeConfig;
  nodes: readonly NodeNetwork[];
  dir: string;
}

interface ClusterRuntime extends Cluster {
  plane: ControlPlane;
  agent: NodeAgent;
  proxy: ServiceProxy;
  services: WatchCache<V1Service>;
  slices: WatchCache<V1EndpointSlice>;
}

export interface Testbed {
  readonly clusters: readonly Cluster[];
  readonly stateDir: string;
  cluster(name: string): Cluster;
  /** Runs argv inside a pod's container (its network and mount namespaces), like kubectl exec. */
  exec(cluster: string, namespace: string, pod: string, argv: readonly string[], container?: string): Promise<ExecResult>;
  /** Sends a signal to a container's process (SIGSTOP/SIGCONT freeze and thaw it), like kill in the container. */
  signal(cluster: string, namespace: string, pod: string, signal: NodeJS.Signals, container?: string): void;
  /** A container's log (all its restarts, appended), also of pods since deleted. */
  logs(cluster: string, namespace: string, pod: string, container?: string): Promise<string>;
  /** A kubeconfig for a user who holds only a Role in one namespace. */
  namespacedUser(cluster: string, request: NamespacedUserRequest): Promise<string>;
  /** A plain host (a VM) on the underlay, outside every cluster; removed by stop(). */
  addHost(name: string): Promise<UnderlayHost>;
  stop(): Promise<void>;
}

async function startCluster(index: number, nodesPerCluster: number, root: string, kubeletVersion: string): Promise<ClusterRuntime> {
  const name = `c${index}`;
  const dir = join(root, name);
  const nodes = Array.from({ length: nodesPerCluster }, (_, i) => nodeNetwork(name, index, i + 1));
  for (const node of nodes) await createNodeNetwork(node, nodes);
  const first = nodes[0] as NodeNetwork;
  const plane = await startControlPlane({ name, dir, advertiseAddress: first.underlayIp });
  const kc = new KubeConfig();
  kc.loadFromFile(plane.adminKubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  const services = new WatchCache<V1Service>(kc, '/api/v1/services', () => core.listServiceForAllNamespaces());
  const slices = new WatchCache<V1EndpointSlice>(kc, '/apis/discovery.k8s.io/v1/endpointslices', () =>
    discovery.listEndpointSliceForAllNamespaces(),
  );
  const proxy = new ServiceProxy(kc, index, nodes, services, slices, fileLog(join(dir, 'logs', 'service-proxy.log')));
  const agent = new NodeAgent({ kc, clusterName: name, nodes, kubeletVersion, dir, stateDir: root, services, slices, apiPort: plane.apiPort, ca: plane.ca });
  const runtime: ClusterRuntime = { name, index, server: plane.server, kubeconfig: plane.adminKubeconfig, kc, nodes, dir, plane, agent, proxy, services, slices };
  try {
    await Promise.all([services.start(), slices.start()]);
    await agent.start();
    // Pods of the default namespace are refused until its service account exists.
    await waitFor(`the default service account of ${name}`, async () => {
      checkRunning(plane);
      await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
      return true;
    }, 60_000);
    return runtime;
  } catch (error) {
    await stopCluster(runtime);
    throw error;
  }
}

async function stopCluster(c: ClusterRuntime): Promise<void> {
  c.proxy.stop();
  await c.agent.stop();
  await Promise.all([c.services.stop(), c.slices.stop()]);
  await c.proxy.idle();
  await stopControlPlane(c.plane);
}

export async function startTestbed(options: TestbedOptions = {}): Promise<Testbed> {
  const count = options.clusters ?? 1;
  const nodesPerCluster = options.nodesPerCluster ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 9 || !Number.isInteger(nodesPerCluster) || nodesPerCluster < 1 || nodesPerCluster > 9) {
    throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', `clusters (${count}) and nodesPerCluster (${nodesPerCluster}) must be whole numbers from 1 to 9`);
  }
  checkPrerequisites();
  const root = stateDir();
  if (options.cleanLeftovers !== false) await cleanupAll(root);
  await mkdir(root, { recursive: true });
  const clusters: ClusterRuntime[] = [];
  try {
    await checkUnderlayFree();
    await createUnderlay();
    const kubeletVersion = versions().kubernetes;
    // One at a time: two apiservers starting at once on two cores mostly wait on each other.
    for (let i = 1; i <= count; i++) clusters.push(await startCluster(i, nodesPerCluster, root, kubeletVersion));
  } catch (error) {
    for (const c of clusters) await stopCluster(c).catch(() => undefined);
    await cleanupAll(root);
    throw error;
  }
  await writeFile(
    join(root, 'testbed.json'),
    JSON.stringify({ clusters: clusters.map((c) => ({ name: c.name, server: c.server, kubeconfig: c.kubeconfig, nodes: c.nodes.map((n) => n.name) })) }, null, 2),
  );
  return makeTestbed(root, clusters);
}

function makeTestbed(root: string, clusters: ClusterRuntime[]): Testbed {
  const find = (name: string): ClusterRuntime => {
    const c = clusters.find((x) => x.name === name);
    if (!c) throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', `no cluster "${name}"`, `clusters are ${clusters.map((x) => x.name).join(', ')}`);
    return c;
  };
  const worker = (cluster: string, namespace: string, pod: string) => {
    const w = find(cluster).agent.worker(namespace, pod);
    if (!w) throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', `pod ${namespace}/${pod} is not running in ${cluster}`);
    return w;
  };
  let stopped = false;
  const hosts: UnderlayHost[] = [];
  return {
    clusters,
    stateDir: root,
    cluster: find,
    exec: (cluster, namespace, pod, argv, container) => execInPod(worker(cluster, namespace, pod), argv, container),
    signal: (cluster, namespace, pod, signal, container) => signalContainer(worker(cluster, namespace, pod), signal, container),
    logs: (cluster, namespace, pod, container) => readPodLog(join(find(cluster).dir, 'pods'), namespace, pod, container),
    namespacedUser: (cluster, request) => makeNamespacedUser(find(cluster), request),
    async addHost(name) {
      const host = await createUnderlayHost(name);
      hosts.push(host);
      return host;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const host of hosts) host.stop();
      for (const c of clusters) await stopCluster(c).catch(() => undefined);
      await cleanupAll(root);
    },
  };
}
