/** (b) The two-process Node TLS tunnel (see tls-tunnel-end.ts) in front of the bench server. */
import type { ChildProcess } from 'node:child_process';
import { forkBenchModule, raiseOpenFiles, stopChild } from '../children.js';
import { nextReport } from '../load/next-report.js';
import type { TlsFiles } from '../../test/support/tls-files.js';
import type { PathSpec } from './bench-path.js';

const START_TIMEOUT_MS = 10_000;

async function startEnd(role: 'entry' | 'exit', target: number, tls: TlsFiles, started: ChildProcess[]): Promise<{ pid: number; port: number; note: string | undefined }> {
  const child = forkBenchModule('./paths/tls-tunnel-end.js', [role, String(target), JSON.stringify(tls)]);
  started.push(child);
  const pid = child.pid ?? 0;
  const note = await raiseOpenFiles(pid);
  const report = await nextReport(child, `tunnel ${role}`, START_TIMEOUT_MS);
  if (report.type !== 'listening') throw new Error(`tunnel ${role}: unexpected report ${report.type}`);
  return { pid, port: report.port, note };
}

export const tlsTunnelPath: PathSpec = {
  id: 'b',
  title: 'Node TLS tunnel',
  start: async ({ serverPort, tls }) => {
    const started: ChildProcess[] = [];
    const stop = async (): Promise<void> => void (await Promise.all(started.map((c) => stopChild(c))));
    try {
      const exit = await startEnd('exit', serverPort, tls, started);
      const entry = await startEnd('entry', exit.port, tls, started);
      return {
        port: entry.port,
        relays: [
          { label: 'tunnel entry', pid: entry.pid },
          { label: 'tunnel exit', pid: exit.pid },
        ],
        notes: [...new Set([entry.note, exit.note].filter((n) => n !== undefined))],
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  },
};
