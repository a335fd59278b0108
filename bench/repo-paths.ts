/**
 * Where the repository is when the bench runs from dist/bench (npm run bench). test/support's
 * REPO_ROOT cannot serve here: compiled into dist/test/support it points at dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = start;
  // Bounded by the depth of the file system: dirname of the root is the root.
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('/dist')) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const RESULTS_DIR = join(REPO_ROOT, 'bench/results');
export const SKIFF_ROUTER_BIN = join(REPO_ROOT, 'bin/skiff-router.js');
