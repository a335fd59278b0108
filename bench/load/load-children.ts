/** Parent-side handles on the bench server, one-shot generator jobs and the idle holder. */
import { forkBenchModule, stopChild } from '../children.js';
import { nextReport } from './next-report.js';
import type { Figures, GeneratorJob, HoldRequest } from './protocol.js';

const START_TIMEOUT_MS = 10_000;
/** Slack past a job's own duration for process start, connection setup and draining. */
const JOB_SLACK_MS = 30_000;

export interface BenchServer {
  port: number;
  pid: number;
  stop: () => Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  const child = forkBenchModule('./load/server.js', []);
  try {
    const report = await nextReport(child, 'bench server', START_TIMEOUT_MS);
    if (report.type !== 'listening') throw new Error(`bench server: unexpected report ${report.type}`);
    return { port: report.port, pid: child.pid ?? 0, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** Runs one timed job in a fresh generator process and returns its figures. */
export async function runJob(job: Exclude<GeneratorJob, { kind: 'idle' }>): Promise<Figures> {
  const child = forkBenchModule('./load/generator.js', [JSON.stringify(job)]);
  try {
    const report = await nextReport(child, `generator (${job.kind})`, job.seconds * 1000 + JOB_SLACK_MS);
    if (report.type === 'failed') throw new Error(report.error);
    if (report.type !== 'figures') throw new Error(`generator: unexpected report ${report.type}`);
    return report.figures;
  } finally {
    await stopChild(child);
  }
}

export interface IdleHolder {
  pid: number;
  /** Grows the held streams to `total`; resolves with how many are open and what stopped it. */
  hold: (total: number) => Promise<{ count: number; refused: number; error?: string }>;
  stop: () => Promise<void>;
}

/** Slightly above the holder's own step timeout, so its answer wins over ours. */
const HOLD_TIMEOUT_MS = 130_000;

export function startIdleHolder(port: number): IdleHolder {
  const child = forkBenchModule('./load/generator.js', [JSON.stringify({ kind: 'idle', port } satisfies GeneratorJob)]);
  return {
    pid: child.pid ?? 0,
    hold: async (total) => {
      const request: HoldRequest = { type: 'hold', total };
      child.send(request);
      const report = await nextReport(child, 'idle holder', HOLD_TIMEOUT_MS);
      if (report.type !== 'holding') throw new Error(`idle holder: unexpected report ${report.type}`);
      const { count, refused, error } = report;
      return error === undefined ? { count, refused } : { count, refused, error };
    },
    stop: () => stopChild(child),
  };
}
