/**
 * Finds the directory skiff is installed in (the one with its package.json and bin/). The CLI runs
 * both from TypeScript sources (tests) and from dist/, which sit at different depths, so the root is
 * found by walking up rather than by a fixed relative path.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function installRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'bin', 'skiff-router.js')) && existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`skiff's install directory (with bin/skiff-router.js) not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function routerBinary(env: Readonly<Record<string, string | undefined>>): string {
  return env.SKIFF_ROUTER_BIN || join(installRoot(), 'bin', 'skiff-router.js');
}
