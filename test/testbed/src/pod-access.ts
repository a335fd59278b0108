/** kubectl exec and kubectl logs, for a test bed whose containers are local processes. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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

export async function readPodLog(worker: PodWorker, container?: string): Promise<string> {
  return readFile(pick(worker, container).logFile, 'utf8').catch(() => '');
}
