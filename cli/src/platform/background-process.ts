/**
 * A detached background process owned by a site: its pid in a file, its output appended to a log,
 * readiness from a line it logs. The local platform runs the router and the site agent this way.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

export interface BackgroundProcessFiles {
  pidFile: string;
  logFile: string;
  /** Text only this process has on its command line, so a reused pid is not mistaken for it. */
  marker: string;
}

/** Spawns `node args...` and resolves once the log shows `ready`; rejects with the reason it did not. */
export async function startBackground(files: BackgroundProcessFiles, args: string[], ready: string): Promise<void> {
  mkdirSync(dirname(files.logFile), { recursive: true });
  const logStart = existsSync(files.logFile) ? statSync(files.logFile).size : 0;
  const log = openSync(files.logFile, 'a');
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  if (child.pid === undefined) throw new Error('the process could not be spawned');
  writeFileSync(files.pidFile, `${child.pid}\n`);
  let exited = false;
  child.once('exit', () => (exited = true));
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const output = readFileSync(files.logFile, 'utf8').slice(logStart);
    if (output.includes(ready)) return;
    if (exited) {
      rmSync(files.pidFile, { force: true });
      throw new Error(stopReason(output) ?? 'it exited');
    }
    if (Date.now() > deadline) {
      await stopBackground(files);
      throw new Error(`no '${ready}' within ${START_TIMEOUT_MS / 1000} s`);
    }
    await sleep(100);
  }
}

/** SIGTERM, then SIGKILL after a grace period; resolves false when it was not running. */
export async function stopBackground(files: BackgroundProcessFiles): Promise<boolean> {
  const pid = runningPid(files);
  rmSync(files.pidFile, { force: true });
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

export function runningPid(files: BackgroundProcessFiles): number | undefined {
  if (!existsSync(files.pidFile)) return undefined;
  const pid = Number(readFileSync(files.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  const cmdline = `/proc/${pid}/cmdline`;
  if (existsSync(cmdline) && !readFileSync(cmdline, 'utf8').includes(files.marker)) return undefined;
  return pid;
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

/** Why a process stopped: the message of its `Error: ... [CODE]` line (a hint follows it), else its last line. */
function stopReason(text: string): string | undefined {
  const lines = text.trim().split('\n').filter((l) => l.trim() !== '');
  for (const line of lines.toReversed()) {
    const error = /^Error: (.*) \[SKIFF_ERR_\w+\]$/.exec(line);
    if (error !== null) return error[1];
  }
  return lines.at(-1);
}
