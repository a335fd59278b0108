/**
 * Runs `skiff` in-process against a temporary SKIFF_HOME and captures its output, and cleans up
 * every site (and so every router process) a test created.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/src/cli.js';
import type { CliDeps } from '../../cli/src/deps.js';
import { LocalPlatform } from '../../cli/src/platform/local-platform.js';
import type { Platform } from '../../cli/src/platform/platform.js';

export interface SkiffRun {
  code: number;
  out: string[];
  err: string[];
  /** stdout parsed as JSON (for `-o json` runs). */
  json: () => Record<string, unknown>;
}

export class SkiffHome {
  readonly dir = mkdtempSync(join(tmpdir(), 'skiff-home-'));
  readonly env: Record<string, string | undefined> = { ...process.env, SKIFF_HOME: this.dir, SKIFF_SITE: undefined };

  /** The CLI's clock; a test may replace it. */
  now: () => Date = () => new Date();

  constructor(readonly platform: Platform = new LocalPlatform({})) {}

  async run(...argv: string[]): Promise<SkiffRun> {
    const out: string[] = [];
    const err: string[] = [];
    const deps: CliDeps = { env: this.env, out: (l) => out.push(l), err: (l) => err.push(l), platform: this.platform, now: () => this.now() };
    const code = await runCli(argv, deps);
    return { code, out, err, json: () => JSON.parse(out.join('\n')) as Record<string, unknown> };
  }

  /** Runs a command that must succeed, failing the test with its stderr otherwise. */
  async ok(...argv: string[]): Promise<SkiffRun> {
    const result = await this.run(...argv);
    if (result.code !== 0) throw new Error(`skiff ${argv.join(' ')} exited ${result.code}:\n${result.err.join('\n')}`);
    return result;
  }

  siteFile(site: string, ...path: string[]): string {
    return join(this.dir, 'sites', site, ...path);
  }

  /** Deletes every site (stopping its router) and removes the directory. */
  async dispose(): Promise<void> {
    const sites = join(this.dir, 'sites');
    for (const site of existsSync(sites) ? readdirSync(sites) : []) await this.run('delete', '--site', site);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** True while a process with this pid exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function pidOf(home: SkiffHome, site: string): number {
  return Number(readFileSync(home.siteFile(site, 'runtime', 'router.pid'), 'utf8'));
}

/**
 * A platform that runs nothing: sites are created, stored and edited as usual, but no router starts
 * and none is ever running. For tests of what does not need a router (tokens, claims, state).
 */
export const inertPlatform: Platform = {
  name: 'inert',
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(false),
  running: () => undefined,
};
