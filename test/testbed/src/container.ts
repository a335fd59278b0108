/**
 * One container of a pod: a process started with `ip netns exec <pod ns>` through a small shell
 * launcher that bind-mounts the pod's volumes at their mountPaths (ip netns exec gives every
 * process a private mount namespace, so these mounts are seen by this container only), then
 * execs the command. It restarts per restartPolicy with a short backoff, and runs its probes.
 */
import { appendFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Container, V1ContainerState } from '@kubernetes/client-node';
import type { NodeHelper } from './node-helper-client.js';
import { ProbeLoop } from './probes.js';
import { ManagedProcess } from './process.js';

export interface Mount {
  hostPath: string;
  mountPath: string;
  readOnly: boolean;
}

export interface ContainerLaunch {
  spec: V1Container;
  podNs: string;
  podIp: string;
  argv: string[];
  env: Record<string, string>;
  mounts: Mount[];
  logDir: string;
  helper: NodeHelper;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  graceSeconds: number;
  /** Called whenever something reported in the pod status changes. */
  onChange: () => void;
}

// kubelet starts at 10 s and doubles to 5 min; tests cannot wait that long.
const BACKOFF_START_MS = 1000;
const BACKOFF_MAX_MS = 10_000;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function launcherScript(mounts: readonly Mount[], workingDir: string | undefined): string {
  const lines = ['set -e'];
  for (const m of mounts) {
    lines.push(`mount --bind ${quote(m.hostPath)} ${quote(m.mountPath)}`);
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${quote(m.mountPath)}`);
  }
  if (workingDir) lines.push(`cd ${quote(workingDir)}`);
  lines.push('exec "$@"');
  return lines.join('\n');
}

function logSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export class ContainerRunner {
  state: V1ContainerState = { waiting: { reason: 'ContainerCreating' } };
  lastState: V1ContainerState = {};
  restartCount = 0;
  ready = false;
  started = false;
  /** Where each run's output starts in the log file (all runs are appended to one file). */
  readonly runOffsets: number[] = [];
  private proc: ManagedProcess | undefined;
  private probes: ProbeLoop[] = [];
  private backoffMs = BACKOFF_START_MS;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private settle: (exitCode: number) => void = () => undefined;
  /** Resolves with the exit code once the container has finished for good (no restart follows). */
  readonly terminated = new Promise<number>((resolve) => (this.settle = resolve));

  constructor(private readonly launch: ContainerLaunch) {}

  get name(): string {
    return this.launch.spec.name;
  }

  get logFile(): string {
    return join(this.launch.logDir, `${this.name}.log`);
  }

  get pid(): number | undefined {
    return this.proc?.running ? this.proc.pid : undefined;
  }

  start(): void {
    if (this.stopping) return;
    const { launch } = this;
    this.runOffsets.push(logSize(this.logFile));
    const proc = new ManagedProcess({
      command: 'ip',
      args: ['netns', 'exec', launch.podNs, 'sh', '-c', launcherScript(launch.mounts, launch.spec.workingDir), 'sh', ...launch.argv],
      logFile: this.logFile,
      env: launch.env,
    });
    this.proc = proc;
    const startedAt = new Date();
    this.state = { running: { startedAt } };
    this.started = true;
    this.ready = !launch.spec.readinessProbe && !launch.spec.startupProbe;
    launch.onChange();
    this.startProbes();
    void proc.exited.then(({ code, signal }) => this.onExit(proc, startedAt, code, signal));
  }

  /** Graceful stop: SIGTERM, SIGKILL after the grace period; no restart afterwards. */
  async stop(graceSeconds = this.launch.graceSeconds): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.stopProbes();
    // Never started (or waiting to restart): nobody will see an exit, so finish here.
    if (!this.proc?.running) this.settle(this.state.terminated?.exitCode ?? -1);
    await this.proc?.stop(graceSeconds * 1000);
  }

  private startProbes(): void {
    const { spec, helper, podIp } = this.launch;
    const target = { helper, podIp, container: spec, pid: () => this.pid };
    const readiness = () => {
      if (!spec.readinessProbe) return;
      const loop = new ProbeLoop(spec.readinessProbe, target, (passing) => {
        this.ready = passing;
        this.launch.onChange();
      });
      this.probes.push(loop);
      loop.start();
    };
    const liveness = () => {
      if (!spec.livenessProbe) return;
      const loop = new ProbeLoop(spec.livenessProbe, target, (passing, detail) => {
        if (!passing) void this.kill(`liveness probe failed: ${detail ?? ''}`);
      });
      this.probes.push(loop);
      loop.start();
    };
    if (spec.startupProbe) {
      const loop = new ProbeLoop(spec.startupProbe, target, (passing, detail) => {
        if (!passing) return void this.kill(`startup probe failed: ${detail ?? ''}`);
        if (!spec.readinessProbe) this.ready = true;
        this.launch.onChange();
        readiness();
        liveness();
      });
      this.probes.push(loop);
      loop.start();
    } else {
      readiness();
      liveness();
    }
  }

  private stopProbes(): void {
    for (const loop of this.probes) loop.stop();
    this.probes = [];
  }

  /** What kubelet does on a failed liveness or startup probe: kill, then restart per policy. */
  private async kill(reason: string): Promise<void> {
    // Noted in the container's log, where a person debugging a restart looks first.
    appendFileSync(this.logFile, `[testbed] ${reason}; killing the container\n`);
    this.stopProbes();
    await this.proc?.stop(this.launch.graceSeconds * 1000);
  }

  private onExit(proc: ManagedProcess, startedAt: Date, code: number | null, signal: NodeJS.Signals | null): void {
    if (proc !== this.proc) return;
    this.stopProbes();
    const exitCode = code ?? 128 + (signal === 'SIGKILL' ? 9 : 15);
    const terminated = {
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt,
      finishedAt: new Date(),
      ...(signal ? { signal: signal === 'SIGKILL' ? 9 : 15 } : {}),
    };
    this.ready = false;
    const policy = this.launch.restartPolicy;
    const restart = !this.stopping && (policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0));
    if (!restart) {
      this.state = { terminated };
      this.launch.onChange();
      this.settle(exitCode);
      return;
    }
    // A container that ran for a while starts over with the shortest backoff, as in kubelet.
    if (Date.now() - startedAt.getTime() > BACKOFF_MAX_MS) this.backoffMs = BACKOFF_START_MS;
    this.lastState = { terminated };
    this.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${this.backoffMs / 1000}s restarting failed container` } };
    this.restartCount++;
    this.launch.onChange();
    this.restartTimer = setTimeout(() => this.start(), this.backoffMs);
    this.restartTimer.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
  }
}
