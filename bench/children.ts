/**
 * Every process the bench starts is registered here, so that a normal end, an error or Ctrl-C
 * all leave nothing behind.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

const children = new Set<ChildProcess>();

/** Ends `child` with SIGTERM, then SIGKILL after a grace period; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 2000): Promise<void> {
  children.delete(child);
  // No pid: the spawn itself failed, and no 'exit' will ever come.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Tracks a process started elsewhere (e.g. skrouterd via spawn) until it exits. */
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Forks a compiled bench module (path relative to dist/bench) with an IPC channel. */
export function forkBenchModule(relativeJs: string, args: string[]): ChildProcess {
  const modulePath = new URL(relativeJs, import.meta.url);
  return track(fork(modulePath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] }));
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map((c) => stopChild(c)));
}

const OPEN_FILES = 65_536;

/** The soft open-files limit the process got, so the note says whether 10,000 streams fit. */
function inheritedOpenFiles(pid: number): string {
  try {
    const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined ? 'limit' : `soft limit of ${soft}`;
  } catch {
    return 'limit';
  }
}

/**
 * Raises the open-files limit of a started process so 10,000 idle streams fit (each holds one
 * or two sockets per process). Resolves with a note when the machine does not allow it; the
 * inherited limit may still suffice, and the idle step reports EMFILE if it does not.
 */
export async function raiseOpenFiles(pid: number): Promise<string | undefined> {
  return new Promise((done) => {
    execFile('prlimit', [`--pid=${pid}`, `--nofile=${OPEN_FILES}:${OPEN_FILES}`], (error, _stdout, stderr) => {
      done(error === null ? undefined : `open-files limit not raised to ${OPEN_FILES} (${stderr.trim() || error.message}); it runs with the inherited ${inheritedOpenFiles(pid)}`);
    });
  });
}
