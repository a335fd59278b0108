/**
 * The built `skiff` binary and `npm run demo`'s program, run as real processes (needs `npm run
 * build`, which `npm test` does first).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/router-process.js';

const home = mkdtempSync(join(tmpdir(), 'skiff-bin-'));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], timeoutMs = 60_000): Promise<Outcome> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, SKIFF_HOME: home, SKIFF_SITE: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((done) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    }),
  );
}

/** Processes whose command line mentions `text` (routers a run left behind). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'src', 'main.js'))) throw new Error('dist/cli is missing: run npm run build');
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('skiff binary', () => {
  it('prints the version as JSON', async () => {
    const result = await run(['bin/skiff.js', 'version', '-o', 'json']);
    expect(result.code).toBe(0);
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(JSON.parse(result.stdout)).toEqual({ client: version, router: version });
  });

  it('fails with its exit code, one error line and a hint, and no stack', async () => {
    const result = await run(['bin/skiff.js', 'link', 'status']);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `Error: no site in ${home} [SKIFF_ERR_SITE_NOT_FOUND]`,
      "Hint: create one with 'skiff init --site-name NAME'",
    ]);
  });
});

describe('npm run demo', () => {
  it('links west and east, fetches hello through west, exits 0 and leaves nothing running', { timeout: 120_000 }, async () => {
    const result = await run(['dist/cli/src/demo.js'], 110_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Link link1 is connected/);
    expect(result.stdout).toMatch(/\$ curl http:\/\/127\.0\.0\.1:\d+\/\n {4}Hello from east, through the skiff mesh!/);
    const demoHome = /# SKIFF_HOME=(\S+)/.exec(result.stdout)?.[1];
    expect(demoHome).toBeDefined();
    expect(existsSync(demoHome!)).toBe(false);
    expect(processesMentioning(demoHome!)).toEqual([]);
  });
});
