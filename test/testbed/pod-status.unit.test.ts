import { describe, expect, test } from 'vitest';
import { computePodStatus, podPhase, type ContainerView, type PodView } from './src/pod-status.js';

const running = (ready: boolean): ContainerView => ({
  name: 'main',
  image: 'skiff-testbed/hello',
  state: { running: { startedAt: new Date(0) } },
  lastState: {},
  restartCount: 0,
  ready,
  started: true,
});
const terminated = (exitCode: number): ContainerView => ({ ...running(false), state: { terminated: { exitCode } } });
const view = (containers: ContainerView[], extra: Partial<PodView> = {}): PodView => ({
  podIp: '10.244.1.5',
  hostIp: '172.30.1.1',
  startTime: new Date(0),
  containers,
  initContainers: [],
  initialized: true,
  setupError: undefined,
  previous: [],
  ...extra,
});
const cond = (status: ReturnType<typeof computePodStatus>, type: string) => status.conditions?.find((c) => c.type === type)?.status;

describe('pod-status', () => {
  test('pod-status - phase follows the containers', () => {
    expect(podPhase(view([{ ...running(false), started: false, state: { waiting: { reason: 'ContainerCreating' } } }]))).toBe('Pending');
    expect(podPhase(view([running(true)]))).toBe('Running');
    expect(podPhase(view([terminated(0)]))).toBe('Succeeded');
    expect(podPhase(view([terminated(0), terminated(2)]))).toBe('Failed');
    expect(podPhase(view([running(true), terminated(0)]))).toBe('Running');
  });

  test('pod-status - the pod stays Pending while init containers run, and Failed when one failed for good', () => {
    const waiting = { ...running(false), started: false, state: { waiting: { reason: 'PodInitializing' } } };
    const pending = computePodStatus(view([waiting], { initialized: false, initContainers: [running(false)] }));
    expect(pending.phase).toBe('Pending');
    expect(pending.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('False');
    expect(pending.initContainerStatuses).toHaveLength(1);
    expect(podPhase(view([waiting], { initialized: false, initContainers: [terminated(1)] }))).toBe('Failed');
  });

  test('pod-status - Ready needs every container ready and the pod running', () => {
    expect(cond(computePodStatus(view([running(true)])), 'Ready')).toBe('True');
    expect(cond(computePodStatus(view([running(true), running(false)])), 'Ready')).toBe('False');
    expect(cond(computePodStatus(view([running(true), running(false)])), 'ContainersReady')).toBe('False');
  });

  test('pod-status - pod and host IPs are reported in both forms', () => {
    const status = computePodStatus(view([running(true)]));
    expect(status).toMatchObject({ podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], hostIP: '172.30.1.1', hostIPs: [{ ip: '172.30.1.1' }] });
    expect(computePodStatus(view([running(false)], { podIp: undefined })).podIP).toBeUndefined();
  });

  test('pod-status - an unchanged condition keeps its transition time; a changed one gets a new one', () => {
    const before = new Date('2020-01-01T00:00:00Z');
    const now = new Date('2021-01-01T00:00:00Z');
    const previous = [
      { type: 'Ready', status: 'True', lastTransitionTime: before },
      { type: 'Initialized', status: 'True', lastTransitionTime: before },
    ];
    const status = computePodStatus(view([running(false)], { previous }), now);
    expect(status.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toEqual(now);
    expect(status.conditions?.find((c) => c.type === 'Initialized')?.lastTransitionTime).toEqual(before);
  });

  test('pod-status - a setup error shows as the waiting message of containers not yet started', () => {
    const notStarted = { ...running(false), started: false, state: { waiting: { reason: 'ContainerCreating' } } };
    const status = computePodStatus(view([notStarted], { setupError: 'secret "creds" not found in default' }));
    expect(status.containerStatuses?.[0]?.state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'secret "creds" not found in default' });
  });
});
