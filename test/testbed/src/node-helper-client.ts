/** The agent's side of node-helper.ts: starts it in a node namespace and sends it requests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { compiledScript } from './paths.js';

export interface HelperReply {
  ok: boolean;
  detail?: string;
}

export type HelperRequest =
  | { type: 'http'; host: string; port: number; path: string; timeoutMs: number }
  | { type: 'tcp'; host: string; port: number; timeoutMs: number }
  | { type: 'forward'; host: string; port: number; socketPath: string };

export class NodeHelper {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (reply: HelperReply) => void>();
  private nextId = 1;

  constructor(ns: string, logFile: string) {
    const fd = openSync(logFile, 'a');
    try {
      this.child = spawn('ip', ['netns', 'exec', ns, process.execPath, compiledScript('node-helper')], {
        stdio: ['pipe', 'pipe', fd],
        detached: true,
      });
    } finally {
      closeSync(fd);
    }
    this.child.on('error', () => this.failAll('node helper could not start'));
    this.child.on('exit', () => this.failAll('node helper exited'));
    if (this.child.stdout) {
      createInterface({ input: this.child.stdout }).on('line', (line) => {
        const reply = JSON.parse(line) as HelperReply & { id: number };
        this.pending.get(reply.id)?.(reply);
        this.pending.delete(reply.id);
      });
    }
  }

  send(request: HelperRequest): Promise<HelperReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin?.write(JSON.stringify({ id, ...request }) + '\n');
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.pid && process.kill(-this.child.pid, 'SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }

  private failAll(detail: string): void {
    for (const resolve of this.pending.values()) resolve({ ok: false, detail });
    this.pending.clear();
  }
}
