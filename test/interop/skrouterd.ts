/**
 * Interop tests run against a skupper-router built outside the project: SKROUTERD (and SKSTAT,
 * SKMANAGE) name its binaries. CI cannot build it, so without SKROUTERD the suite is skipped and
 * says so in one line. Routers are started from `[type, {attrs}]` configs in a temporary
 * directory, with the logs kept for failure messages, and always stopped.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor, type ConfigEntity } from '../support/router-process.js';
import { tryConnect } from '../support/tcp-peers.js';

export const SKROUTERD = process.env.SKROUTERD;
export const SKSTAT = process.env.SKSTAT;
export const SKMANAGE = process.env.SKMANAGE;

/** The one line a run without skupper-router prints for each interop file. */
export function sayWhySkipped(): void {
  if (SKROUTERD === undefined) {
    console.log('interop: SKROUTERD is not set, so the skupper-router interop tests are skipped (build skupper-router (C, with its skstat and skmanage tools) outside this repository, then set SKROUTERD, SKSTAT, SKMANAGE)');
  }
}

export interface Skrouterd {
  id: string;
  process: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

const running = new Set<Skrouterd>();

/**
 * Starts skrouterd with `entities` (a "router" entity first); resolves once `readyPort` (one of
 * its listeners) accepts connections.
 */
export async function startSkrouterd(id: string, entities: ConfigEntity[], readyPort: number): Promise<Skrouterd> {
  if (SKROUTERD === undefined) throw new Error('SKROUTERD is not set');
  const dir = mkdtempSync(join(tmpdir(), `skrouterd-${id}-`));
  const config = join(dir, 'router.json');
  writeFileSync(config, JSON.stringify(entities, null, 2));
  const child = spawn(SKROUTERD, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const router: Skrouterd = {
    id,
    process: child,
    log: () => output,
    stop: async () => {
      running.delete(router);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(router);
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`skrouterd ${id} exited (${child.exitCode}):\n${output}`);
    return (await tryConnect(readyPort)) === 'connected';
  }, `skrouterd ${id} listening on ${readyPort}`, 15_000);
  return router;
}

export async function stopAllSkrouterd(): Promise<void> {
  await Promise.all([...running].map((r) => r.stop()));
}

/** Waits until every tcpListener port accepts (skrouterd retries a refused dial only after 5 s). */
export async function waitForTcpListeners(ports: readonly number[]): Promise<void> {
  for (const p of ports) await waitFor(async () => (await tryConnect(p)) === 'connected', `tcpListener ${p} open`, 20_000);
}

/** Runs skstat or skmanage; resolves with stdout, rejects with stderr on a non-zero exit. */
export async function runTool(tool: string | undefined, args: string[]): Promise<string> {
  if (tool === undefined) throw new Error('tool path not set (SKSTAT / SKMANAGE)');
  const { stdout } = await promisify(execFile)(tool, args, { timeout: 20_000 });
  return stdout;
}
