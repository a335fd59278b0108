/**
 * `npm run fuzz`: every target (or FUZZ_TARGETS=a,b) for FUZZ_RUNS inputs (default 10⁶) from
 * FUZZ_SEED (default: the time, printed so a run can be repeated), one worker thread per target.
 *
 * A worker counts its inputs in shared memory. One that stops counting for FUZZ_HANG_S seconds
 * (default 60) is hung, and one that dies (out of memory, an uncaught exception) has crashed:
 * either way a second worker replays the same seed up to that input and prints it.
 */
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runTarget, type RunReport } from './harness.js';
import { TARGETS } from './targets.js';

interface Job {
  target: string;
  runs: number;
  seed: number;
  counter: SharedArrayBuffer;
  replayIndex?: number;
}

type WorkerMessage = { kind: 'report'; report: RunReport } | { kind: 'replay'; input: string };

const HEAP_MB = 2048;

async function work(job: Job): Promise<void> {
  const counter = new Int32Array(job.counter);
  const target = TARGETS[job.target]!();
  const send = (message: WorkerMessage): void => parentPort!.postMessage(message);
  const report = await runTarget(target, {
    runs: job.runs,
    seed: job.seed,
    onInput: (index) => Atomics.store(counter, 0, index + 1),
    ...(job.replayIndex === undefined ? {} : { replayIndex: job.replayIndex, onReplay: (input: string) => send({ kind: 'replay', input }) }),
  });
  send({ kind: 'report', report });
}

interface Outcome {
  report?: RunReport;
  /** Why the worker did not report: hung or died at input `at`. */
  lost?: { why: string; at: number };
  replayed?: string;
}

function spawn(job: Omit<Job, 'counter'>, hangMs: number): Promise<Outcome> {
  const counter = new SharedArrayBuffer(4);
  const seen = new Int32Array(counter);
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { ...job, counter }, resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
  return new Promise((resolve) => {
    const outcome: Outcome = {};
    let last = -1;
    let still = Date.now();
    const watchdog = setInterval(() => {
      const now = Atomics.load(seen, 0);
      if (now !== last) {
        last = now;
        still = Date.now();
      } else if (Date.now() - still > hangMs) {
        outcome.lost = { why: `hung for ${hangMs / 1000} s`, at: Math.max(0, now - 1) };
        void worker.terminate();
      }
    }, 1000);
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'report') outcome.report = message.report;
      else outcome.replayed = message.input;
      if (job.replayIndex !== undefined && message.kind === 'replay') console.log(`  input #${job.replayIndex}: ${message.input.slice(0, 2000)}`);
    });
    worker.on('error', (error) => (outcome.lost ??= { why: `died: ${error.message}`, at: Math.max(0, Atomics.load(seen, 0) - 1) }));
    worker.on('exit', () => {
      clearInterval(watchdog);
      resolve(outcome);
    });
  });
}

async function main(): Promise<void> {
  const runs = Number(process.env['FUZZ_RUNS'] ?? 1_000_000);
  const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
  const hangMs = Number(process.env['FUZZ_HANG_S'] ?? 60) * 1000;
  const names = process.env['FUZZ_TARGETS']?.split(',') ?? Object.keys(TARGETS);
  const unknown = names.filter((n) => TARGETS[n] === undefined);
  if (unknown.length > 0) throw new Error(`unknown fuzz target ${unknown.join(', ')} (targets: ${Object.keys(TARGETS).join(', ')})`);
  console.log(`fuzz: ${names.length} targets × ${runs} inputs, seed ${seed} (repeat with FUZZ_SEED=${seed})`);
  let failed = 0;
  const rows: string[] = [];
  for (const target of names) {
    const started = Date.now();
    const outcome = await spawn({ target, runs, seed }, hangMs);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (outcome.report !== undefined && outcome.report.failure === undefined) {
      rows.push(`${target.padEnd(14)} ${String(outcome.report.runs).padStart(9)} inputs ${seconds.padStart(6)} s  ${String(outcome.report.refused).padStart(9)} refused  0 failures`);
      console.log(rows.at(-1));
      continue;
    }
    failed++;
    rows.push(`${target.padEnd(14)} FAILED after ${seconds} s`);
    console.log(rows.at(-1));
    if (outcome.report?.failure !== undefined) console.log(outcome.report.failure);
    if (outcome.lost !== undefined) {
      console.log(`  ${outcome.lost.why} at input #${outcome.lost.at}; replaying it:`);
      await spawn({ target, runs, seed, replayIndex: outcome.lost.at }, hangMs);
    }
  }
  console.log(`\nfuzz summary (seed ${seed}):\n${rows.join('\n')}`);
  process.exitCode = failed > 0 ? 1 : 0;
}

if (isMainThread) await main();
else await work(workerData as Job);
