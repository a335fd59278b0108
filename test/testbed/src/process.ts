/**
 * A child process with its output appended to a log file. Each one leads its own process group
 * (detached), so stop() reaches whatever it started too, e.g. the command behind `ip netns exec`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { TestbedError } from './errors.js';

export interface SpawnRequest {
  command: string;
  args: readonly string[];
  logFile: string;
  env?: Record<string, string>;
  cwd?: string;
}

export class ManagedProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private done = false;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(readonly request: SpawnRequest) {
    const fd = openSync(request.logFile, 'a');
    try {
      this.child = spawn(request.command, [...request.args], {
        detached: true,
        stdio: ['ignore', fd, fd],
        env: request.env ?? process.env,
        ...(request.cwd ? { cwd: request.cwd } : {}),
      });
    } finally {
      closeSync(fd);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.done = true;
        this.exit = { code, signal };
        resolve(this.exit);
      });
      // A command that cannot start reports through 'error' and never 'exit'.
      this.child.once('error', () => {
        this.done = true;
        this.exit = { code: 127, signal: null };
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.done;
  }

  /** Says that this process has exited, how, and what it last wrote to its log. */
  exitError(lines = 15): TestbedError {
    const name = basename(this.request.command);
    const how = this.exit?.signal ? `was killed by ${this.exit.signal}` : `exited with code ${this.exit?.code ?? '?'}`;
    let tail = '';
    try {
      tail = readFileSync(this.request.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      // No log to quote.
    }
    return new TestbedError('SKIFF_ERR_TESTBED_START', `${name} ${how}; last lines of ${this.request.logFile}:\n${tail}`);
  }

  /** Sends `signal` to the whole process group (members may outlive the leader). */
  signal(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // The group is already gone: nothing left to signal.
    }
  }

  /** SIGTERM, then SIGKILL when the process outlives `graceMs` (as kubelet does). */
  async stop(graceMs: number): Promise<void> {
    if (this.done) return;
    this.signal('SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout') this.signal('SIGKILL');
    await this.exited;
    // Children that ignored SIGTERM and outlived their leader still belong to the group.
    this.signal('SIGKILL');
  }
}
