/**
 * Computes a pod's status from its containers' states (pure), the way kubelet reports it:
 * phase, podIP(s), hostIP(s), conditions and per-container states and restart counts.
 */
import type { V1ContainerState, V1ContainerStatus, V1PodCondition, V1PodStatus } from '@kubernetes/client-node';

export interface ContainerView {
  name: string;
  image: string;
  state: V1ContainerState;
  lastState: V1ContainerState;
  restartCount: number;
  ready: boolean;
  started: boolean;
}

export interface PodView {
  podIp: string | undefined;
  hostIp: string;
  startTime: Date;
  containers: readonly ContainerView[];
  initContainers: readonly ContainerView[];
  /** True once every init container has succeeded. */
  initialized: boolean;
  /** Set while the sandbox cannot be made (missing Secret, …), shown as the containers' waiting message. */
  setupError: string | undefined;
  /** Previous transition times, so that unchanged conditions keep theirs. */
  previous: readonly V1PodCondition[];
}

export function podPhase(view: PodView): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  const { containers } = view;
  if (!view.initialized) return view.initContainers.some((c) => c.state.terminated && c.state.terminated.exitCode !== 0) ? 'Failed' : 'Pending';
  if (containers.length === 0 || containers.some((c) => !c.started)) return 'Pending';
  if (containers.every((c) => c.state.terminated)) {
    return containers.every((c) => c.state.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
  }
  return 'Running';
}

function condition(type: string, value: boolean, previous: readonly V1PodCondition[], now: Date): V1PodCondition {
  const status = value ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  return { type, status, lastTransitionTime: before?.status === status ? (before.lastTransitionTime ?? now) : now };
}

export function computePodStatus(view: PodView, now = new Date()): V1PodStatus {
  const statuses = (list: readonly ContainerView[]): V1ContainerStatus[] => list.map((c) => ({
    name: c.name,
    image: c.image,
    imageID: '',
    state: view.setupError && !c.started ? { waiting: { reason: 'CreateContainerConfigError', message: view.setupError } } : c.state,
    lastState: c.lastState,
    ready: c.ready,
    restartCount: c.restartCount,
    started: c.started && Boolean(c.state.running),
  }));
  const containerStatuses = statuses(view.containers);
  const allReady = view.containers.length > 0 && view.containers.every((c) => c.ready);
  const phase = podPhase(view);
  return {
    phase,
    hostIP: view.hostIp,
    hostIPs: [{ ip: view.hostIp }],
    ...(view.podIp ? { podIP: view.podIp, podIPs: [{ ip: view.podIp }] } : {}),
    startTime: view.startTime,
    conditions: [
      condition('PodReadyToStartContainers', view.podIp !== undefined, view.previous, now),
      condition('Initialized', view.initialized, view.previous, now),
      condition('ContainersReady', allReady, view.previous, now),
      condition('Ready', allReady && phase === 'Running', view.previous, now),
      condition('PodScheduled', true, view.previous, now),
    ],
    containerStatuses,
    ...(view.initContainers.length ? { initContainerStatuses: statuses(view.initContainers) } : {}),
  };
}
