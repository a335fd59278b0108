/**
 * Runs one pod bound to a node: makes its network and volumes, starts its containers, reports
 * its status, and on deletion stops it gracefully and removes it from the API (kubelet's final,
 * zero-grace delete). Setup failures (a missing Secret, …) are reported and retried.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CoreV1Api, V1Container, V1Pod } from '@kubernetes/client-node';
import { describeError, type AgentLog } from './agent-log.js';
import { ContainerRunner, type Mount } from './container.js';
import { containerArgv, lookupImage } from './images.js';
import { ensureMountPoint, mountHidesRepository } from './mount-points.js';
import type { NodeHelper } from './node-helper-client.js';
import type { NodeNetwork } from './node-network.js';
import { containerEnv, expandVars, type PodFacts } from './pod-inputs.js';
import { PodVolumes, type CurrentVersion } from './pod-volumes.js';
import { createPodNetwork, deletePodNetwork, podNetnsName, writeHosts, type PodIpam } from './pod-network.js';
import { computePodStatus, type ContainerView } from './pod-status.js';

export interface PodWorkerDeps {
  core: CoreV1Api;
  clusterName: string;
  node: NodeNetwork;
  helper: NodeHelper;
  ipam: PodIpam;
  stateDir: string;
  podsDir: string;
  log: AgentLog;
  /** The current hosts file for a pod. */
  hosts: (pod: V1Pod, podIp: string) => string;
}

type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

const SETUP_RETRY_MS = 2000;
const STATUS_DEBOUNCE_MS = 100;

export class PodWorker {
  readonly netns: string;
  readonly dir: string;
  ip: string | undefined;
  containers: ContainerRunner[] = [];
  initContainers: ContainerRunner[] = [];
  private initialized = false;
  private setupError: string | undefined;
  private terminating = false;
  private readonly startTime = new Date();
  private statusTimer: NodeJS.Timeout | undefined;
  private statusChain: Promise<void> = Promise.resolve();
  private setupRun: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly volumes: PodVolumes;
  /**
   * The hosts file as last written, and the writes in order: a reader may catch a write half
   * done, so the file is rewritten only when it changes, and never by two writes at once.
   */
  private hosts = '';
  private hostsWrites: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: PodWorkerDeps,
    public pod: V1Pod,
  ) {
    this.volumes = new PodVolumes(deps.core, deps.log);
    const uid = pod.metadata?.uid ?? '';
    this.netns = podNetnsName(deps.clusterName, uid);
    this.dir = join(deps.podsDir, `${pod.metadata?.namespace}_${pod.metadata?.name}_${uid.slice(0, 8)}`);
  }

  get namespace(): string {
    return this.pod.metadata?.namespace ?? 'default';
  }

  get name(): string {
    return this.pod.metadata?.name ?? '';
  }

  get logDir(): string {
    return join(this.dir, 'logs');
  }

  start(): void {
    if (this.terminating) return;
    this.setupRun = this.setup().catch((error: unknown) => {
      this.setupError = describeError(error);
      this.deps.log(`pod ${this.namespace}/${this.name}: setup failed, retrying: ${this.setupError}`);
      this.reportStatus();
      if (!this.terminating) this.retryTimer = setTimeout(() => this.start(), SETUP_RETRY_MS).unref();
    });
  }

  private async setup(): Promise<void> {
    const { deps, pod } = this;
    const spec = pod.spec;
    if (!spec) throw new Error('pod has no spec');
    await mkdir(this.logDir, { recursive: true });
    if (!this.ip) {
      const ip = deps.ipam.allocate();
      if (!ip) throw new Error(`node ${deps.node.name} has no free pod IP`);
      this.hosts = deps.hosts(pod, ip);
      await createPodNetwork(deps.node, this.netns, ip, this.hosts, this.namespace);
      this.ip = ip;
      // Services that changed while the network was being made were skipped by refreshHosts
      // (no IP yet): write the file once more from the current cache.
      await this.refreshHosts();
    }
    const facts: PodFacts = { pod, podIp: this.ip, hostIp: deps.node.underlayIp };
    const volumes = new Map<string, string>();
    for (const volume of spec.volumes ?? []) {
      volumes.set(volume.name, await this.volumes.materialize(facts, volume, join(this.dir, 'volumes', volume.name)));
    }
    const policy = (spec.restartPolicy ?? 'Always') as RestartPolicy;
    // Init containers run one after another, each to success; kubelet retries a failed one
    // unless the pod's policy is Never, and then the pod has failed.
    if (!this.initialized) {
      const inits: ContainerRunner[] = [];
      for (const c of spec.initContainers ?? []) inits.push(await this.runner(c, facts, volumes, policy === 'Never' ? 'Never' : 'OnFailure'));
      this.initContainers = inits;
      this.setupError = undefined;
      for (const init of inits) {
        if (this.terminating) return;
        init.start();
        if ((await init.terminated) !== 0) return;
      }
      this.initialized = true;
      this.reportStatus();
    }
    const runners: ContainerRunner[] = [];
    for (const c of spec.containers) runners.push(await this.runner(c, facts, volumes, policy));
    if (this.terminating) return;
    this.setupError = undefined;
    this.containers = runners;
    for (const runner of runners) runner.start();
  }

  private async runner(container: V1Container, facts: PodFacts, volumes: ReadonlyMap<string, string>, restartPolicy: RestartPolicy): Promise<ContainerRunner> {
    const image = lookupImage(container.image ?? '');
    if (!image) throw new Error(`image "${container.image}" is not in the test bed's image table (see test/testbed/README.md)`);
    const env = await containerEnv(this.deps.core, facts, container);
    const mounts: Mount[] = (container.volumeMounts ?? []).map((m) => {
      const hostPath = volumes.get(m.name);
      if (!hostPath) throw new Error(`container ${container.name} mounts unknown volume "${m.name}"`);
      if (m.subPath) throw new Error(`container ${container.name}: subPath mounts are not supported by the test bed`);
      const hidden = mountHidesRepository(m.mountPath);
      if (hidden) throw new Error(`container ${container.name}: ${hidden}`);
      ensureMountPoint(this.deps.stateDir, m.mountPath);
      return { hostPath, mountPath: m.mountPath, readOnly: m.readOnly ?? false };
    });
    return new ContainerRunner({
      spec: container,
      podNs: this.netns,
      podIp: facts.podIp,
      argv: containerArgv(image, container.command, container.args).map((a) => expandVars(a, env)),
      env,
      mounts,
      logDir: this.logDir,
      helper: this.deps.helper,
      restartPolicy,
      graceSeconds: this.pod.spec?.terminationGracePeriodSeconds ?? 30,
      onChange: () => this.reportStatus(),
    });
  }

  /** Rewrites the volumes whose ConfigMaps or Secrets changed (kubelet's volume sync). */
  async refreshVolumes(current: CurrentVersion): Promise<void> {
    if (this.terminating || !this.ip) return;
    const updated = await this.volumes.refresh({ pod: this.pod, podIp: this.ip, hostIp: this.deps.node.underlayIp }, current);
    if (updated.length > 0) this.deps.log(`pod ${this.namespace}/${this.name}: updated volumes ${updated.join(', ')}`);
  }

  async refreshHosts(): Promise<void> {
    if (!this.ip) return;
    const hosts = this.deps.hosts(this.pod, this.ip);
    if (hosts === this.hosts) return;
    this.hosts = hosts;
    this.hostsWrites = this.hostsWrites.catch(() => undefined).then(() => writeHosts(this.netns, hosts));
    await this.hostsWrites;
  }

  /**
   * Stops the containers (SIGTERM, SIGKILL after `graceSeconds`), removes the network and, when
   * the pod still exists in the API, deletes it for good.
   */
  async terminate(graceSeconds: number, deleteFromApi: boolean): Promise<void> {
    if (this.terminating) return;
    this.terminating = true;
    clearTimeout(this.retryTimer);
    const stopAll = () => Promise.all([...this.initContainers, ...this.containers].map((c) => c.stop(graceSeconds)));
    await stopAll();
    // A setup still under way (say, creating the network) must finish before its work is
    // undone, or it would recreate what we remove; it starts no container once terminating.
    await this.setupRun;
    await stopAll();
    if (this.statusTimer) clearTimeout(this.statusTimer);
    await this.statusChain;
    await deletePodNetwork(this.netns);
    if (this.ip) this.deps.ipam.release(this.ip);
    if (!deleteFromApi) return;
    try {
      await this.deps.core.deleteNamespacedPod({
        name: this.name,
        namespace: this.namespace,
        gracePeriodSeconds: 0,
        body: { gracePeriodSeconds: 0, preconditions: { uid: this.pod.metadata?.uid ?? '' } },
      });
    } catch {
      // Already gone (404) or replaced (409 on the uid precondition): nothing left to delete.
    }
  }

  private reportStatus(): void {
    if (this.statusTimer || this.terminating) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      this.statusChain = this.statusChain.then(() => this.writeStatus()).catch((error: unknown) => {
        // The pod may be gone or changed under us: retry, it reports the latest state anyway.
        this.deps.log(`pod ${this.namespace}/${this.name}: status update failed: ${describeError(error)}`);
        setTimeout(() => this.reportStatus(), 1000).unref();
      });
    }, STATUS_DEBOUNCE_MS);
  }

  private async writeStatus(): Promise<void> {
    const status = computePodStatus({
      podIp: this.ip,
      hostIp: this.deps.node.underlayIp,
      startTime: this.startTime,
      setupError: this.setupError,
      previous: this.pod.status?.conditions ?? [],
      initialized: this.initialized,
      initContainers: views(this.pod.spec?.initContainers ?? [], this.initContainers, 'PodInitializing'),
      containers: views(this.pod.spec?.containers ?? [], this.containers, this.initialized ? 'ContainerCreating' : 'PodInitializing'),
    });
    if (this.pod.status?.qosClass) status.qosClass = this.pod.status.qosClass;
    this.pod = await this.deps.core.patchNamespacedPodStatus({
      name: this.name,
      namespace: this.namespace,
      body: [{ op: 'replace', path: '/status', value: status }],
    });
  }
}

/** What the status needs of each container in the spec, started or not. */
function views(specs: readonly V1Container[], runners: readonly ContainerRunner[], waitingReason: string): ContainerView[] {
  return specs.map((spec) => {
    const runner = runners.find((c) => c.name === spec.name);
    return {
      name: spec.name,
      image: spec.image ?? '',
      state: runner?.state ?? { waiting: { reason: waitingReason } },
      lastState: runner?.lastState ?? {},
      restartCount: runner?.restartCount ?? 0,
      ready: runner?.ready ?? false,
      started: runner?.started ?? false,
    };
  });
}
