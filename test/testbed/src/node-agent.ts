/**
 * The node agent of one cluster: for each of its nodes a registration (kubelet's heartbeat), a
 * helper process inside the node's namespace, and pod workers for the pods bound to the node.
 * It watches all pods of the cluster and reconciles from the whole cache after each burst of
 * changes: start pods newly bound here, stop pods marked for deletion (then delete them for
 * good, as kubelet does), and drop workers of pods that vanished from the API.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig, type V1ConfigMap, type V1EndpointSlice, type V1Pod, type V1Secret, type V1Service } from '@kubernetes/client-node';
import { describeError, fileLog, type AgentLog } from './agent-log.js';
import { KubeletApi } from './kubelet-api.js';
import { NodeHelper } from './node-helper-client.js';
import type { NodeNetwork } from './node-network.js';
import { KUBELET_ADDRESS, NodeRegistration } from './node-registration.js';
import { issue, type CertFiles } from './pki-files.js';
import { hostsPod, renderHosts, serviceRecords } from './cluster-dns.js';
import { PodIpam } from './pod-network.js';
import { PodWorker } from './pod-worker.js';
import { WatchCache } from './watch-cache.js';
import { splice } from './splice.js';

export interface NodeAgentOptions {
  kc: KubeConfig;
  clusterName: string;
  nodes: readonly NodeNetwork[];
  kubeletVersion: string;
  /** The cluster's directory in the state dir. */
  dir: string;
  stateDir: string;
  services: WatchCache<V1Service>;
  /** Endpoints of headless Services give per-pod names (hostname.svc) in the hosts files. */
  slices: WatchCache<V1EndpointSlice>;
  /** The apiserver's loopback port; pods reach it through the first node (see startApiForward). */
  apiPort: number;
  /** The cluster CA: it signs each node's kubelet serving certificate and the apiserver's kubelet client certificate. */
  ca: CertFiles;
}

interface NodeRuntime {
  network: NodeNetwork;
  helper: NodeHelper;
  registration: NodeRegistration;
  kubeletApi: KubeletApi;
  ipam: PodIpam;
}

export class NodeAgent {
  readonly pods: WatchCache<V1Pod>;
  /** Sources of volumes, watched so that running pods see updates (as kubelet's volume manager does). */
  private readonly configMaps: WatchCache<V1ConfigMap>;
  private readonly secrets: WatchCache<V1Secret>;
  private readonly core: CoreV1Api;
  private readonly nodes = new Map<string, NodeRuntime>();
  private readonly workers = new Map<string, PodWorker>();
  private apiForward: Server | undefined;
  /** Connections from pods to the apiserver, passed on by the first node's helper. */
  private readonly forwarded = new Set<Socket>();
  private readonly log: AgentLog;
  private stopped = false;

  constructor(private readonly options: NodeAgentOptions) {
    this.core = options.kc.makeApiClient(CoreV1Api);
    this.log = fileLog(join(options.dir, 'logs', 'node-agent.log'));
    this.pods = new WatchCache<V1Pod>(options.kc, '/api/v1/pods', () => this.core.listPodForAllNamespaces());
    this.pods.onChange(() => this.reconcile());
    this.configMaps = new WatchCache<V1ConfigMap>(options.kc, '/api/v1/configmaps', () => this.core.listConfigMapForAllNamespaces());
    this.secrets = new WatchCache<V1Secret>(options.kc, '/api/v1/secrets', () => this.core.listSecretForAllNamespaces());
    this.configMaps.onChange(() => this.refreshVolumes());
    this.secrets.onChange(() => this.refreshVolumes());
    options.services.onChange(() => void this.refreshHosts());
    options.slices.onChange(() => void this.refreshHosts());
  }

  async start(): Promise<void> {
    const { options } = this;
    await mkdir(join(options.dir, 'nodes'), { recursive: true });
    for (const network of options.nodes) {
      const helper = new NodeHelper(network.ns, join(options.dir, 'nodes', `${network.name}-helper.log`));
      const serving = await issue(options.ca, join(options.dir, 'pki', 'kubelet'), network.name, { commonName: network.name, usage: 'server', hosts: [KUBELET_ADDRESS.address] });
      const kubeletApi = new KubeletApi({
        ca: options.ca.cert,
        serving,
        lookup: (namespace, pod, container) => {
          const worker = this.worker(namespace, pod);
          if (worker?.pod.spec?.nodeName !== network.name) return undefined;
          return [...worker.containers, ...worker.initContainers].find((c) => c.name === container);
        },
      });
      const registration = new NodeRegistration(options.kc, network, options.kubeletVersion, await kubeletApi.start(), this.log);
      this.nodes.set(network.name, { network, helper, registration, kubeletApi, ipam: new PodIpam(network) });
      await registration.start();
    }
    await this.startApiForward();
    await Promise.all([this.configMaps.start(), this.secrets.start()]);
    await this.pods.start();
  }

  /**
   * In-cluster API access: the `kubernetes` Service leads to the first node's underlay address
   * at the apiserver's port (its --advertise-address). The helper listens there and passes
   * connections over a Unix socket to this process, which connects to the apiserver on host
   * loopback. TLS runs end to end; the serving certificate names 10.96.0.1.
   */
  private async startApiForward(): Promise<void> {
    const first = this.nodes.get(this.options.nodes[0]?.name ?? '');
    if (!first) return;
    const socketPath = join(this.options.dir, 'api.sock');
    await rm(socketPath, { force: true });
    this.apiForward = createServer((inbound) => {
      const outbound = connect(this.options.apiPort, '127.0.0.1');
      this.forwarded.add(inbound);
      inbound.once('close', () => this.forwarded.delete(inbound));
      splice(inbound, outbound);
    });
    await new Promise<void>((resolve) => this.apiForward?.listen(socketPath, resolve));
    const reply = await first.helper.send({ type: 'forward', host: first.network.underlayIp, port: this.options.apiPort, socketPath });
    if (!reply.ok) throw new Error(`cannot forward the apiserver into ${first.network.ns}: ${reply.detail ?? ''}`);
  }

  private async refreshHosts(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.refreshHosts().catch(() => undefined)));
  }

  private refreshVolumes(): void {
    const current = (kind: 'configmap' | 'secret', namespace: string, name: string) =>
      (kind === 'configmap' ? this.configMaps : this.secrets).get(`${namespace}/${name}`)?.metadata?.resourceVersion;
    for (const worker of this.workers.values()) {
      worker.refreshVolumes(current).catch((error: unknown) => this.log(`pod ${worker.namespace}/${worker.name}: ${describeError(error)}`));
    }
  }

  private reconcile(): void {
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const pod of this.pods.list()) {
      const runtime = this.nodes.get(pod.spec?.nodeName ?? '');
      const uid = pod.metadata?.uid;
      if (!runtime || !uid) continue;
      seen.add(uid);
      let worker = this.workers.get(uid);
      if (pod.metadata?.deletionTimestamp) {
        const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
        if (worker) void worker.terminate(grace, true);
        else {
          worker = this.newWorker(runtime, pod);
          void worker.terminate(0, true);
        }
        continue;
      }
      if (!worker) {
        if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
        worker = this.newWorker(runtime, pod);
        worker.start();
      } else if (worker.pod.metadata?.resourceVersion !== pod.metadata?.resourceVersion) {
        worker.pod = pod;
      }
    }
    for (const [uid, worker] of this.workers) {
      if (seen.has(uid)) continue;
      this.workers.delete(uid);
      void worker.terminate(0, false);
    }
  }

  private newWorker(runtime: NodeRuntime, pod: V1Pod): PodWorker {
    const worker = new PodWorker(
      {
        core: this.core,
        clusterName: this.options.clusterName,
        node: runtime.network,
        helper: runtime.helper,
        ipam: runtime.ipam,
        stateDir: this.options.stateDir,
        podsDir: join(this.options.dir, 'pods'),
        log: this.log,
        hosts: (p, ip) => renderHosts(hostsPod(p, ip), serviceRecords(this.options.services.list(), this.options.slices.list())),
      },
      pod,
    );
    this.workers.set(pod.metadata?.uid ?? '', worker);
    return worker;
  }

  /** The worker running pod namespace/name, if it runs here. */
  worker(namespace: string, name: string): PodWorker | undefined {
    return [...this.workers.values()].find((w) => w.namespace === namespace && w.name === name);
  }

  /** Stops every pod at once (no grace: the cluster is going away), the helpers and heartbeats. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([this.pods.stop(), this.configMaps.stop(), this.secrets.stop()]);
    for (const runtime of this.nodes.values()) runtime.registration.stop();
    await Promise.all([...this.workers.values()].map((w) => w.terminate(0, false)));
    this.workers.clear();
    await Promise.all([...this.nodes.values()].map((r) => Promise.all([r.helper.stop(), r.kubeletApi.stop()])));
    // A watch from a pod holds its connection open; pods are gone, so their connections go too
    // (server.close() would wait for each to end, and a peer in a deleted netns never ends it).
    const closed = new Promise<void>((resolve) => (this.apiForward ? this.apiForward.close(() => resolve()) : resolve()));
    for (const socket of this.forwarded) socket.destroy();
    await closed;
  }
}
