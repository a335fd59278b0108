/**
 * Pods run in the host's filesystem, so a volume's mountPath (say
 * /var/run/secrets/kubernetes.io/serviceaccount) must exist on the host to bind-mount over it.
 * The directories made for that are recorded in a state file and removed (when empty) by
 * cleanup, so the host is left as it was.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT } from './paths.js';

const RECORD = 'mount-points';

/**
 * Why a container may not mount at `path`, or undefined: images run from this repository in the
 * host's filesystem, so a mount at the repository or above it (say /tmp for a checkout in /tmp)
 * would hide the very files the container runs.
 */
export function mountHidesRepository(path: string, repo = REPO_ROOT): string | undefined {
  const inside = relative(resolve(path), repo);
  if (inside.startsWith('..')) return undefined;
  return `a volume mounted at ${path} would hide the repository at ${repo} that test-bed images run from: move the checkout elsewhere or mount the volume at another path`;
}

/** Creates `path` and any missing parents, recording each one made. */
export function ensureMountPoint(stateDir: string, path: string): void {
  const missing: string[] = [];
  for (let dir = path; !existsSync(dir); dir = dirname(dir)) missing.unshift(dir);
  for (const dir of missing) {
    mkdirSync(dir);
    appendFileSync(join(stateDir, RECORD), dir + '\n');
  }
}

/** Removes the recorded directories, deepest first, leaving any that something else filled. */
export function removeMountPoints(stateDir: string): void {
  const file = join(stateDir, RECORD);
  if (!existsSync(file)) return;
  const dirs = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  for (const dir of dirs.sort((a, b) => b.length - a.length)) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty or already gone: someone else's now, leave it.
    }
  }
}
