/**
 * Runs the built `skiff` binary as a user would: in the host's network namespace against a test-bed
 * cluster, or inside a plain underlay host's namespace for a local site there.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../testbed/src/paths.js';

export interface SkiffResult {
  code: number;
  stdout: string;
  stderr: string;
}

const SKIFF = join(REPO_ROOT, 'bin', 'skiff.js');

export class SkiffUser {
  /** SKIFF_HOME of this user: local sites live here; Kubernetes sites leave it empty. */
  readonly home = mkdtempSync(join(tmpdir(), 'skiff-kube-home-'));

  /** `netns`: run inside that network namespace (a plain host on the underlay). */
  constructor(private readonly netns?: string) {}

  run(args: readonly string[], timeoutMs = 240_000): Promise<SkiffResult> {
    const argv = this.netns === undefined ? [SKIFF, ...args] : ['netns', 'exec', this.netns, process.execPath, SKIFF, ...args];
    const file = this.netns === undefined ? process.execPath : 'ip';
    const env = { ...process.env, SKIFF_HOME: this.home, SKIFF_SITE: '', KUBECONFIG: '' };
    return new Promise((resolve) => {
      execFile(file, argv, { env, timeout: timeoutMs, cwd: this.home }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });
  }

  /** Runs a command that must succeed; a failure carries its output. */
  async ok(args: readonly string[], timeoutMs?: number): Promise<SkiffResult> {
    const result = await this.run(args, timeoutMs);
    if (result.code !== 0) throw new Error(`skiff ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    return result;
  }
}
