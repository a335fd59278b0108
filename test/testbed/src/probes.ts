/**
 * Runs one probe (readiness, liveness or startup) of a container on kubelet's schedule:
 * after initialDelaySeconds, every periodSeconds; the result flips after failureThreshold
 * failures or successThreshold successes in a row. httpGet and tcpSocket go through the node
 * helper (pod IPs are reachable only from the node's namespace); exec runs inside the
 * container's namespaces with nsenter.
 */
import type { V1Container, V1Probe } from '@kubernetes/client-node';
import { run } from './exec.js';
import type { HelperReply, NodeHelper } from './node-helper-client.js';

export interface ProbeTarget {
  helper: NodeHelper;
  podIp: string;
  container: V1Container;
  /** The container's main process, for exec probes. */
  pid: () => number | undefined;
}

function resolvePort(container: V1Container, port: number | string): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = container.ports?.find((p) => p.name === port);
  return named?.containerPort ?? 0;
}

export async function probeOnce(probe: V1Probe, target: ProbeTarget): Promise<HelperReply> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) {
    const port = resolvePort(target.container, probe.httpGet.port as number | string);
    return target.helper.send({ type: 'http', host: probe.httpGet.host ?? target.podIp, port, path: probe.httpGet.path ?? '/', timeoutMs });
  }
  if (probe.tcpSocket) {
    const port = resolvePort(target.container, probe.tcpSocket.port as number | string);
    return target.helper.send({ type: 'tcp', host: probe.tcpSocket.host ?? target.podIp, port, timeoutMs });
  }
  if (probe.exec) {
    const pid = target.pid();
    if (pid === undefined) return { ok: false, detail: 'container not running' };
    try {
      await run('timeout', [String(Math.max(1, probe.timeoutSeconds ?? 1)), 'nsenter', '-t', String(pid), '-m', '-n', '--', ...(probe.exec.command ?? [])]);
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }
  return { ok: false, detail: 'probe has no handler (httpGet, tcpSocket or exec)' };
}

export class ProbeLoop {
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private successes = 0;
  private stopped = false;
  /** The current verdict; starts false (readiness and startup) as in kubelet. */
  passing = false;

  constructor(
    private readonly probe: V1Probe,
    private readonly target: ProbeTarget,
    /** Called when the verdict flips, with the detail of the last attempt. */
    private readonly onFlip: (passing: boolean, detail: string | undefined) => void,
  ) {}

  start(): void {
    this.schedule((this.probe.initialDelaySeconds ?? 0) * 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const result = await probeOnce(this.probe, this.target);
    if (this.stopped) return;
    if (result.ok) {
      this.failures = 0;
      this.successes++;
      if (!this.passing && this.successes >= (this.probe.successThreshold ?? 1)) {
        this.passing = true;
        this.onFlip(true, undefined);
      }
    } else {
      this.successes = 0;
      this.failures++;
      if (this.failures === (this.probe.failureThreshold ?? 3)) {
        this.passing = false;
        this.onFlip(false, result.detail);
      }
    }
    this.schedule((this.probe.periodSeconds ?? 10) * 1000);
  }
}
