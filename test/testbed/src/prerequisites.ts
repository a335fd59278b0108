/**
 * What the test bed needs of the host before it starts anything: root, the host tools it runs,
 * its built components and compiled scripts. All problems are reported at once, each with what
 * to do, so a host without nft fails in milliseconds instead of at some later timeout.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { TestbedError } from './errors.js';
import { BINARIES, binDir, REPO_ROOT } from './paths.js';

export interface Problem {
  what: string;
  fix: string;
}

export interface HostFacts {
  uid: number | undefined;
  /** The PATH the test bed's commands are looked up on. */
  path: string;
}

/** Host tools and the package that brings each (Debian/Ubuntu names). */
const TOOLS: readonly (readonly [tool: string, pkg: string])[] = [
  ['ip', 'iproute2'],
  ['nft', 'nftables'],
  ['openssl', 'openssl'],
  ['nsenter', 'util-linux'],
  ['mount', 'mount'],
  ['sh', 'dash'],
];

function onPath(tool: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export function findProblems(facts: HostFacts = { uid: process.getuid?.(), path: process.env['PATH'] ?? '' }): Problem[] {
  const problems: Problem[] = [];
  if (facts.uid !== 0) problems.push({ what: 'not running as root (network namespaces and nftables need it)', fix: 'run it as root (sudo)' });
  const missing = TOOLS.filter(([tool]) => !onPath(tool, facts.path));
  if (missing.length > 0) {
    problems.push({
      what: `no ${missing.map(([tool]) => `\`${tool}\``).join(', ')} on PATH`,
      fix: `install ${[...new Set(missing.map(([, pkg]) => pkg))].join(' ')} (apt-get install -y ${[...new Set(missing.map(([, pkg]) => pkg))].join(' ')})`,
    });
  }
  const unbuilt = BINARIES.filter((b) => !existsSync(join(binDir(), b)));
  if (unbuilt.length > 0) {
    problems.push({ what: `${unbuilt.join(', ')} not built (looked in ${binDir()})`, fix: 'run `npm run testbed:build` (minutes when cold, seconds when cached)' });
  }
  if (!existsSync(join(REPO_ROOT, 'dist/test/testbed/src/node-helper.js'))) {
    problems.push({ what: 'the test bed is not compiled (dist/test/testbed/src/node-helper.js is missing)', fix: 'run `npm run build`' });
  }
  return problems;
}

/** Throws one error naming every problem and what to do about each. */
export function checkPrerequisites(facts?: HostFacts): void {
  const problems = findProblems(facts);
  if (problems.length === 0) return;
  throw new TestbedError(
    'SKIFF_ERR_TESTBED_PREREQUISITES',
    // The fixes are in the message itself: test runners show messages, not hints.
    `the test bed cannot start on this host: ${problems.map((p) => `${p.what}: ${p.fix}`).join('; ')}`,
  );
}
