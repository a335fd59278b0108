/**
 * (e) skupper-router (skrouterd) pair configured like Skiff's one hop. skrouterd does not log
 * ephemeral ports the way skiff-router does, so ports are chosen up front and the tcpListener is
 * ready once it accepts a connection.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { raiseOpenFiles, stopChild, track } from '../children.js';
import { waitFor } from '../../test/support/router-process.js';
import { freePort, tryConnect } from '../../test/support/tcp-peers.js';
import type { PathSpec } from './bench-path.js';
import { startRouterChain, type RouterLauncher } from './router-chain.js';

/** Log lines kept from each skrouterd for error messages. */
const LOG_TAIL_CHARS = 2000;

function skrouterdLauncher(binary: string): RouterLauncher {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-skrouterd-'));
  const stops: Array<() => Promise<void>> = [];
  return {
    listenPort: freePort,
    launch: async (id, entities) => {
      const configPath = join(dir, `${id}.json`);
      writeFileSync(configPath, JSON.stringify(entities, null, 2));
      const child = track(spawn(binary, ['-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] }));
      stops.push(() => stopChild(child));
      let log = '';
      const keep = (b: Buffer): void => void (log = (log + b.toString()).slice(-LOG_TAIL_CHARS));
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      child.once('error', (error) => void (log += `\nspawn failed: ${error.message}`));
      const pid = child.pid ?? 0;
      const note = pid === 0 ? undefined : await raiseOpenFiles(pid);
      return {
        pid,
        notes: note === undefined ? [] : [note],
        listenerPort: (_name, configured) => configured,
        tcpListenerReady: async (name, configured, timeoutMs) => {
          try {
            await waitFor(async () => child.exitCode === null && (await tryConnect(configured)) === 'connected', `tcpListener ${name}`, timeoutMs);
          } catch (error) {
            throw new Error(`skrouterd ${id}: ${error instanceof Error ? error.message : String(error)}; log tail: ${log.trim()}`, { cause: error });
          }
          return configured;
        },
      };
    },
    stopAll: async () => {
      await Promise.all(stops.splice(0).map((stop) => stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function skupperPath(binary: string): PathSpec {
  return { id: 'e', title: 'skupper-router 1 hop', start: (context) => startRouterChain(2, skrouterdLauncher(binary), context) };
}
