/**
 * What kubelet does to keep a Node alive: register it with capacity, allocatable and a Ready
 * condition, renew its Lease in kube-node-lease every 10 s (the controller-manager's node
 * lifecycle controller reads these renewals as heartbeats and would otherwise mark the node
 * NotReady and evict its pods), and refresh the node's conditions every minute.
 */
import { CoordinationV1Api, CoreV1Api, type KubeConfig, type V1Node, type V1NodeCondition } from '@kubernetes/client-node';
import { describeError, type AgentLog } from './agent-log.js';
import type { NodeNetwork } from './node-network.js';

const LEASE_SECONDS = 40;
const RENEW_MS = 10_000;
const STATUS_MS = 60_000;

function conditions(now: Date): V1NodeCondition[] {
  const c = (type: string, status: string, reason: string, message: string): V1NodeCondition => ({
    type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now,
  });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'skiff test bed node agent is posting ready status'),
  ];
}

/**
 * The address through which the apiserver reaches this node's kubelet API (logs): the node
 * agent serves it on host loopback, where the apiserver runs; the apiserver is told to prefer
 * this address type (--kubelet-preferred-address-types).
 */
export const KUBELET_ADDRESS = { type: 'InternalDNS', address: '127.0.0.1' } as const;

export function nodeObject(node: NodeNetwork, kubeletVersion: string, kubeletPort: number): V1Node {
  const resources = { cpu: '8', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: { 'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
    },
    spec: { podCIDR: node.podSubnet, podCIDRs: [node.podSubnet] },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: conditions(new Date()),
      addresses: [
        { type: 'InternalIP', address: node.underlayIp },
        { type: 'Hostname', address: node.name },
        KUBELET_ADDRESS,
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      nodeInfo: {
        machineID: node.name, systemUUID: node.name, bootID: node.name, kernelVersion: '', osImage: 'skiff test bed',
        containerRuntimeVersion: 'skiff-testbed://processes', kubeletVersion, kubeProxyVersion: kubeletVersion,
        operatingSystem: 'linux', architecture: 'amd64',
      },
    },
  };
}

export class NodeRegistration {
  private readonly core: CoreV1Api;
  private readonly coordination: CoordinationV1Api;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    kc: KubeConfig,
    private readonly node: NodeNetwork,
    private readonly kubeletVersion: string,
    private readonly kubeletPort: number,
    private readonly log: AgentLog,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.coordination = kc.makeApiClient(CoordinationV1Api);
  }

  async start(): Promise<void> {
    const node = nodeObject(this.node, this.kubeletVersion, this.kubeletPort);
    await this.core.createNode({ body: node });
    // Status given on create is dropped by the API server; set it through the subresource.
    await this.core.patchNodeStatus({ name: this.node.name, body: [{ op: 'replace', path: '/status', value: node.status }] });
    await this.renewLease();
    const every = (ms: number, fn: () => Promise<void>) => {
      const timer = setInterval(() => void fn().catch((error: unknown) => this.log(`${this.node.name}: ${describeError(error)}`)), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(RENEW_MS, () => this.renewLease());
    every(STATUS_MS, () => this.postStatus());
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  private async postStatus(): Promise<void> {
    await this.core.patchNodeStatus({
      name: this.node.name,
      body: [{ op: 'replace', path: '/status/conditions', value: conditions(new Date()) }],
    });
  }

  private async renewLease(): Promise<void> {
    const name = this.node.name;
    const namespace = 'kube-node-lease';
    // Sent as JSON patch with the time spelled out: Lease times are MicroTime (six fractional
    // digits), which client-node's Date serialization (three) does not produce.
    const spec = { holderIdentity: name, leaseDurationSeconds: LEASE_SECONDS, renewTime: microTime(new Date()) };
    const body = [{ op: 'add', path: '/spec', value: spec }];
    try {
      await this.coordination.patchNamespacedLease({ name, namespace, body });
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
      await this.coordination.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec: { holderIdentity: name } } });
      await this.coordination.patchNamespacedLease({ name, namespace, body });
    }
  }
}

/** RFC 3339 with microseconds, the wire form of metav1.MicroTime. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
