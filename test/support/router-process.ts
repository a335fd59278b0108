/**
 * Starts real skiff-router processes for integration tests: writes the config, spawns the
 * router, learns its listener ports from the log, and makes sure the process is gone afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ROUTER_BIN = join(REPO_ROOT, 'bin/skiff-router.js');

export type ConfigEntity = [string, Record<string, unknown>];

/** A Node.js process a test started, its output (stdout and stderr) collected as its log. */
export interface LoggedProcess {
  id: string;
  process: ChildProcess;
  log: () => string;
  /** Resolves when the log has a line matching `pattern` (only lines after log offset `since`, if given). */
  waitForLog: (pattern: RegExp, timeoutMs?: number, since?: number) => Promise<string>;
  stop: () => Promise<void>;
  kill: (signal?: NodeJS.Signals) => void;
}

export interface RouterProcess extends LoggedProcess {
  dir: string;
  configPath: string;
  /** Bound port of each listener by name (ephemeral ports resolved from the log). */
  ports: Map<string, number>;
}

const running = new Set<LoggedProcess>();

/** Stops every process started here still running: routers and other Node processes (call from afterEach/afterAll). */
export async function stopAllRouters(): Promise<void> {
  await Promise.all([...running].map((r) => r.stop()));
}

/** Runs the router binary with arbitrary arguments and collects its output (for bad-config tests). */
export async function runRouterOnce(args: string[], timeoutMs = 10_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [ROUTER_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/**
 * Runs `node <args>` and collects its output; `onOutput` sees each piece as it comes. `stop()`
 * thaws, terminates (killing after 3 s) and then calls `cleanup`.
 */
export function startNodeProcess(id: string, args: string[], options: { onOutput?: (text: string) => void; cleanup?: () => void } = {}): LoggedProcess {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters: Array<{ pattern: RegExp; since: number; done: (line: string) => void }> = [];
  const findLine = (pattern: RegExp, since: number): string | undefined => output.slice(since).split('\n').find((l) => pattern.test(l));
  const onText = (d: Buffer): void => {
    const text = d.toString();
    output += text;
    options.onOutput?.(text);
    for (const w of [...waiters]) {
      const line = findLine(w.pattern, w.since);
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done(line);
      }
    }
  };
  child.stdout.on('data', onText);
  child.stderr.on('data', onText);
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const started: LoggedProcess = {
    id,
    process: child,
    log: () => output,
    waitForLog: (pattern, timeoutMs = 10_000, since = 0) =>
      new Promise<string>((done, fail) => {
        const line = findLine(pattern, since);
        if (line !== undefined) return done(line);
        const timer = setTimeout(() => fail(new Error(`${id}: no log line matching ${String(pattern)} within ${timeoutMs} ms\n${output}`)), timeoutMs);
        waiters.push({ pattern, since, done: (l) => (clearTimeout(timer), done(l)) });
      }),
    kill: (signal = 'SIGKILL') => {
      child.kill(signal);
    },
    stop: async () => {
      running.delete(started);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      options.cleanup?.();
    },
  };
  running.add(started);
  return started;
}

export async function startRouter(id: string, entities: ConfigEntity[], options: { waitForListeners?: boolean; configName?: string } = {}): Promise<RouterProcess> {
  const dir = mkdtempSync(join(tmpdir(), `skiff-router-${id}-`));
  const configPath = join(dir, options.configName ?? 'router.json');
  writeFileSync(configPath, JSON.stringify(entities, null, 2));
  const ports = new Map<string, number>();
  const started = startNodeProcess(`router ${id}`, [ROUTER_BIN, '--config', configPath], {
    onOutput: (text) => {
      for (const m of text.matchAll(/listener (\S+) \([^)]*\) listening on \S+:(\d+)/g)) ports.set(m[1]!, Number(m[2]));
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  });
  const router: RouterProcess = { ...started, id, dir, configPath, ports };
  const listenerCount = entities.filter(([t]) => t === 'listener').length;
  if (options.waitForListeners !== false && listenerCount > 0) {
    await router.waitForLog(/router .* started/, 15_000);
  }
  return router;
}

/**
 * Sends SIGTERM and resolves with how the router exited and how long it took; a router still
 * running after `timeoutMs` is killed and reported with `signal: 'SIGKILL'`.
 */
export async function terminate(router: RouterProcess, timeoutMs = 5000): Promise<{ code: number | null; signal: NodeJS.Signals | null; elapsedMs: number }> {
  const child = router.process;
  const started = Date.now();
  const exited = new Promise<void>((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
  return { code: child.exitCode, signal: child.signalCode, elapsedMs: Date.now() - started };
}

/** Polls `check` with doubling delays until it returns a value other than undefined/false. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 250);
  }
}
