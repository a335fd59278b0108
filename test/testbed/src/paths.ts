/**
 * Where the test bed finds its components and keeps its state. Everything it creates on the
 * host carries NAME_PREFIX (network namespaces, /etc/netns entries) or lives under stateDir(),
 * so that `down` and the crash cleanup of the next `up` can find all of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestbedError } from './errors.js';

/** Prefix of every network namespace and /etc/netns entry the test bed creates. */
export const NAME_PREFIX = 'skt-';

/** The repository root: the nearest ancestor holding the skiff package.json. */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'skiff') return dir;
    const up = dirname(dir);
    if (up === dir) throw new TestbedError('SKIFF_ERR_TESTBED_LAYOUT', `no skiff package.json above ${start}`);
    dir = up;
  }
}

export interface Versions {
  kubernetes: string;
  etcd: string;
  helm: string;
  buildRecipe: string;
}

/** Reads test/testbed/versions.env, the one file that records the component versions. */
export function versions(): Versions {
  const text = readFileSync(join(REPO_ROOT, 'test/testbed/versions.env'), 'utf8');
  const value = (key: string): string => {
    const m = new RegExp(`^${key}=(\\S+)$`, 'm').exec(text);
    if (!m?.[1]) throw new TestbedError('SKIFF_ERR_TESTBED_LAYOUT', `versions.env has no ${key}`);
    return m[1];
  };
  return {
    kubernetes: value('KUBERNETES_VERSION'),
    etcd: value('ETCD_VERSION'),
    helm: value('HELM_VERSION'),
    buildRecipe: value('BUILD_RECIPE'),
  };
}

/** Directory of the built binaries for the pinned versions (same key as build.sh). */
export function binDir(): string {
  const v = versions();
  const root = process.env['SKIFF_TESTBED_CACHE'] ?? join(homedir(), '.cache/skiff-testbed');
  return join(root, `k8s-${v.kubernetes}_etcd-${v.etcd}_helm-${v.helm}_r${v.buildRecipe}`, 'bin');
}

export const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'helm'] as const;
export type Binary = (typeof BINARIES)[number];

/** Path of a built binary; throws a clear error when the build step has not run. */
export function binary(name: Binary): string {
  const path = join(binDir(), name);
  if (!existsSync(path)) {
    throw new TestbedError(
      'SKIFF_ERR_TESTBED_NOT_BUILT',
      // The fix is in the message itself: test runners show messages, not hints.
      `${name} is not built (looked for ${path}): run \`npm run testbed:build\` first (minutes when cold, seconds when cached)`,
    );
  }
  return path;
}

/** Root of the running test bed's state: certificates, data, logs, pod files. */
export function stateDir(): string {
  return process.env['SKIFF_TESTBED_STATE'] ?? '/run/skiff-testbed';
}

/**
 * A compiled script of the test bed (test images, the node helper). Pods and helpers run as
 * separate node processes, so they need the JavaScript that `npm run build` writes to dist/.
 */
export function compiledScript(name: string): string {
  const path = join(REPO_ROOT, 'dist/test/testbed/src', `${name}.js`);
  if (!existsSync(path)) {
    throw new TestbedError('SKIFF_ERR_TESTBED_NOT_BUILT', `${path} is missing: run \`npm run build\` first`);
  }
  return path;
}
