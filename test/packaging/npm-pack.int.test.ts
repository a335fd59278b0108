/**
 * What the images install: `npm pack` of this package, installed into an empty folder from the
 * tarball (dependencies from the registry), must run `skiff` and `skiff-router` from there. Needs
 * `npm run build` first (npm test's pretest does it) and a reachable registry.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../testbed/src/paths.js';
import { containerfileStages, INSTALL_PREFIX } from './containerfile.js';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const INSTALL_TIMEOUT_MS = 240_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of `npm test` minus npm's per-script variables, which would point npm back at this package. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|INIT_CWD$)/.test(k)),
  );
}

function run(command: string, args: readonly string[], cwd: string, timeout = 60_000, env = cleanEnv()): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function ok(command: string, args: readonly string[], cwd: string, timeout?: number): Promise<string> {
  const result = await run(command, args, cwd, timeout);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

describe('npm pack', () => {
  let dir = '';
  let app = '';
  let files: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(REPO_ROOT, 'dist/cli/src/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'skiff-pack-'));
    const packed = JSON.parse(await ok('npm', ['pack', '--json', '--pack-destination', dir], REPO_ROOT)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const tarball = join(dir, packed[0]?.filename ?? '');
    files = (packed[0]?.files ?? []).map((f) => f.path);
    app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'skiff-pack-probe', version: '0.0.0', private: true }));
    await ok('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', tarball], app, INSTALL_TIMEOUT_MS);
  }, INSTALL_TIMEOUT_MS + 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('npm pack - the tarball holds the built code and not the tests', () => {
    expect(files).toEqual(expect.arrayContaining(['bin/skiff.js', 'bin/skiff-router.js', 'dist/cli/src/main.js', 'dist/router/src/main.js']));
    expect(files.filter((f) => f.startsWith('dist/test/') || f.startsWith('dist/bench/') || f.endsWith('.ts'))).toEqual([]);
    // The site-controller image runs this file.
    expect(files).toContain('dist/site-controller/src/main.js');
  });

  test('npm pack - skiff, installed from the tarball, prints its version', async () => {
    const out = await ok(join(app, 'node_modules/.bin/skiff'), ['version', '-o', 'json'], app);
    expect(JSON.parse(out)).toEqual({ client: VERSION, router: VERSION });
    expect((await ok(join(app, 'node_modules/.bin/skiff'), ['--version'], app)).trim()).toBe(VERSION);
  });

  test('npm pack - skiff-router, installed from the tarball, prints its version', async () => {
    const out = await ok(join(app, 'node_modules/.bin/skiff-router'), ['--version'], app);
    expect(out.trim()).toBe(`skiff-router ${VERSION}`);
  });

  test('npm pack - the Containerfile ENTRYPOINTs name files of the same install', async () => {
    const inApp = (path: string) => (path.startsWith(`${INSTALL_PREFIX}/`) ? join(app, path.slice(INSTALL_PREFIX.length)) : path);
    const router = containerfileStages().find((s) => s.name === 'router')?.entrypoint ?? [];
    expect(router).toHaveLength(1);
    expect((await ok(inApp(router[0] ?? ''), ['--version'], app)).trim()).toBe(`skiff-router ${VERSION}`);
    const controller = containerfileStages().find((s) => s.name === 'site-controller')?.entrypoint ?? [];
    expect(controller[0]).toBe('node');
    expect(existsSync(inApp(controller[1] ?? ''))).toBe(true);
  });

  test.skipIf(!existsSync(join(REPO_ROOT, 'site-controller/src/main.ts')))(
    'npm pack - the site-controller image entry point loads controller and adaptor from the install',
    async () => {
      const main = join(app, 'node_modules/skiff/dist/site-controller/src/main.js');
      // No cluster: each part loads all its modules, then stops at its settings with its own message.
      const { POD_NAMESPACE: _ns, KUBERNETES_SERVICE_HOST: _host, ...env } = cleanEnv();
      const noCluster = { ...env, KUBECONFIG: join(dir, 'no-such-kubeconfig') };
      const controller = await run(process.execPath, [main], app, 30_000, noCluster);
      const adaptor = await run(process.execPath, [main, 'kube-adaptor'], app, 30_000, noCluster);
      for (const [part, result] of [['site-controller', controller], ['kube-adaptor', adaptor]] as const) {
        const out = result.stdout + result.stderr;
        expect(out, part).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find (module|package)/);
        expect(out, part).toContain(`${part}:`);
        expect(result.code, part).not.toBe(0);
      }
      expect(adaptor.stdout + adaptor.stderr).toContain('SKIFF_ERR_ADAPTOR_SETTINGS');
    },
  );
});
