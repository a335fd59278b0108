/**
 * The `local` platform: the router is a detached child process of whichever `skiff` started it, with
 * its pid in `runtime/router.pid` and its output appended to `runtime/router.log`. Readiness is the
 * router's own `router <id> started` log line, read from the part of the log this start wrote.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, ErrorCode, ExitCode } from '../errors.js';
import type { ConfigEntity } from '../site/router-config.js';
import type { Site } from '../site/site-store.js';
import { writeFileAtomic } from '../site/site-store.js';
import type { Platform } from './platform.js';
import { routerBinary } from '../install-root.js';

const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

export class LocalPlatform implements Platform {
  readonly name = 'local';

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  async start(site: Site, config: ConfigEntity[]): Promise<void> {
    const { paths, state } = site;
    writeFileAtomic(paths.routerConfig, JSON.stringify(config, null, 2) + '\n');
    mkdirSync(dirname(paths.logFile), { recursive: true });
    const logStart = existsSync(paths.logFile) ? statSync(paths.logFile).size : 0;
    const log = openSync(paths.logFile, 'a');
    const child = spawn(process.execPath, [routerBinary(this.env), '--config', paths.routerConfig], {
      detached: true,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    if (child.pid === undefined) throw startError(site, 'the router process could not be spawned');
    writeFileSync(paths.pidFile, `${child.pid}\n`);
    let exited = false;
    child.once('exit', () => (exited = true));
    child.unref();
    const deadline = Date.now() + START_TIMEOUT_MS;
    const ready = `router ${state.routerId} started`;
    for (;;) {
      const output = readFileSync(paths.logFile, 'utf8').slice(logStart);
      if (output.includes(ready)) return;
      if (exited) {
        rmSync(paths.pidFile, { force: true });
        throw startError(site, lastLine(output) ?? 'the router exited');
      }
      if (Date.now() > deadline) {
        await this.stop(site);
        throw startError(site, `no '${ready}' within ${START_TIMEOUT_MS / 1000} s`);
      }
      await sleep(100);
    }
  }

  async stop(site: Site): Promise<boolean> {
    const pid = this.running(site);
    rmSync(site.paths.pidFile, { force: true });
    if (pid === undefined) return false;
    signal(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_GRACE_MS;
    while (alive(pid)) {
      if (Date.now() > deadline) {
        signal(pid, 'SIGKILL');
        break;
      }
      await sleep(50);
    }
    return true;
  }

  running(site: Site): number | undefined {
    if (!existsSync(site.paths.pidFile)) return undefined;
    const pid = Number(readFileSync(site.paths.pidFile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
    // A stale pid file may name a process that reused the pid; only a router on this config counts.
    const cmdline = `/proc/${pid}/cmdline`;
    if (existsSync(cmdline) && !readFileSync(cmdline, 'utf8').includes(site.paths.routerConfig)) return undefined;
    return pid;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function lastLine(text: string): string | undefined {
  return text.trim().split('\n').filter((l) => l.trim() !== '').at(-1);
}

function startError(site: Site, why: string): CliError {
  return new CliError(ExitCode.router, ErrorCode.SKIFF_ERR_ROUTER_START, `router of site '${site.state.name}' did not start: ${why}`, `see ${site.paths.logFile}`);
}
