/**
 * Starts router processes (skiff-router or skrouterd) from a config file, keeps a tail of their
 * log, and tells when their tcpListener is ready. Ports are chosen up front for both binaries,
 * because skrouterd does not log the ephemeral ports it binds.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { raiseOpenFiles, stopChild, track } from '../children.js';
import { waitFor, type ConfigEntity } from '../../test/support/router-process.js';
import { freePort, tryConnect } from '../../test/support/tcp-peers.js';

/** Log kept from each router, for readiness lines and error messages. */
const LOG_TAIL_CHARS = 8000;

export interface RouterBinary {
  name: string;
  command: (configPath: string) => { file: string; args: string[] };
  /** The log line that says a tcpListener is open; without one, readiness is a successful connect. */
  readyLine?: (tcpListener: string) => RegExp;
}

export interface LaunchedRouter {
  pid: number;
  notes: string[];
  /** Resolves once something accepts connections on `port` (e.g. the inter-router listener). */
  listening: (port: number, timeoutMs: number) => Promise<void>;
  /** Resolves once the tcpListener named `name` on `port` accepts connections. */
  tcpListenerReady: (name: string, port: number, timeoutMs: number) => Promise<void>;
}

export interface RouterLauncher {
  listenPort: () => Promise<number>;
  launch: (id: string, entities: ConfigEntity[]) => Promise<LaunchedRouter>;
  /** Stops every router this launcher started and removes their config files. */
  stopAll: () => Promise<void>;
}

export function routerLauncher(binary: RouterBinary): RouterLauncher {
  const dir = mkdtempSync(join(tmpdir(), `skiff-bench-${binary.name}-`));
  const stops: Array<() => Promise<void>> = [];
  return {
    listenPort: freePort,
    launch: async (id, entities) => {
      const configPath = join(dir, `${id}.json`);
      writeFileSync(configPath, JSON.stringify(entities, null, 2));
      const { file, args } = binary.command(configPath);
      const child = track(spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
      stops.push(() => stopChild(child));
      let log = '';
      // Always read the pipes: a router blocked on a full stdout would stall the data path.
      const keep = (b: Buffer): void => void (log = (log + b.toString()).slice(-LOG_TAIL_CHARS));
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      const pid = child.pid;
      if (pid === undefined) {
        const [error] = (await once(child, 'error')) as [Error];
        throw new Error(`${binary.name} ${id}: cannot start ${file}: ${error.message}`);
      }
      const note = await raiseOpenFiles(pid);
      const alive = (): boolean => child.exitCode === null && child.signalCode === null;
      const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> => {
        try {
          await waitFor(
            async () => {
              if (!alive()) throw new Error(`router exited (${child.signalCode ?? `code ${String(child.exitCode)}`})`);
              return check();
            },
            what,
            timeoutMs,
          );
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new Error(`${binary.name} ${id}: ${reason}; log tail: ${log.trim().slice(-600)}`, { cause: error });
        }
      };
      const listening = (port: number, timeoutMs: number): Promise<void> => until(`port ${port}`, async () => (await tryConnect(port)) === 'connected', timeoutMs);
      const readyLine = binary.readyLine;
      return {
        pid,
        notes: note === undefined ? [] : [note],
        listening,
        tcpListenerReady: (name, port, timeoutMs) =>
          readyLine === undefined ? listening(port, timeoutMs) : until(`tcpListener ${name}`, async () => readyLine(name).test(log), timeoutMs),
      };
    },
    stopAll: async () => {
      await Promise.all(stops.splice(0).map((stop) => stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
