/** kubectl exec and kubectl logs, for a test bed whose containers are local processes. */
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TestbedError } from './errors.js';
import type { PodWorker } from './pod-worker.js';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

function pick(worker: PodWorker, container: string | undefined) {
  const runner = container ? worker.containers.find((c) => c.name === container) : worker.containers[0];
  if (!runner) {
    throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', `pod ${worker.namespace}/${worker.name} has no container ${container ?? '(none started yet)'}`);
  }
  return runner;
}

/**
 * Runs argv in the container's network and mount namespaces (so it sees the pod's volumes and
 * hosts file) when the container runs, else in the pod's network namespace.
 */
export function execInPod(worker: PodWorker, argv: readonly string[], container?: string, timeoutMs = 30_000): Promise<ExecResult> {
  const pid = pick(worker, container).pid;
  const [cmd, args] =
    pid !== undefined ? ['nsenter', ['-t', String(pid), '-m', '-n', '--', ...argv]] : ['ip', ['netns', 'exec', worker.netns, ...argv]];
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Sends `signal` to a running container's process, e.g. SIGSTOP and SIGCONT to freeze it for a
 * while (the probes keep running, so a long freeze ends as kubelet would end it).
 */
export function signalContainer(worker: PodWorker, signal: NodeJS.Signals, container?: string): void {
  const runner = pick(worker, container);
  const pid = runner.pid;
  if (pid === undefined) throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', `container ${runner.name} of pod ${worker.namespace}/${worker.name} is not running`);
  process.kill(pid, signal);
}

/**
 * A container's log, read from the pod's directory, which stays until stop(): the log of a
 * deleted pod can still be read (its last lines show how it ended).
 */
export async function readPodLog(podsDir: string, namespace: string, pod: string, container?: string): Promise<string> {
  const prefix = `${namespace}_${pod}_`;
  const dirs = (await readdir(podsDir).catch(() => [] as string[])).filter((d) => d.startsWith(prefix));
  // A name can be reused (a pod deleted and made again): the newest directory is the latest pod.
  const dated = await Promise.all(dirs.map(async (d) => ({ d, t: (await stat(join(podsDir, d))).mtimeMs })));
  const dir = dated.sort((a, b) => b.t - a.t)[0]?.d;
  if (!dir) throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', `no pod ${namespace}/${pod} ever ran here`);
  const logs = join(podsDir, dir, 'logs');
  const files = (await readdir(logs)).filter((f) => f.endsWith('.log'));
  const file = container ? `${container}.log` : files.length === 1 ? files[0] : undefined;
  if (!file || !files.includes(file)) {
    throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', `pod ${namespace}/${pod}: say which container (${files.map((f) => f.slice(0, -4)).join(', ')})`);
  }
  return readFile(join(logs, file), 'utf8');
}
