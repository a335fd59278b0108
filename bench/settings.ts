/**
 * Knobs of one bench run, all from the environment so a developer can take a short run
 * (`BENCH_SECONDS=1 BENCH_REPS=1`) on the shared 2-core machine and keep the full run for once.
 */
export interface BenchSettings {
  /** Length of each timed workload. */
  seconds: number;
  /** Repetitions of each workload; the table shows medians. */
  reps: number;
  /** Idle stream counts at which each relay's RSS is read, ascending. */
  idleLevels: number[];
  /** skupper-router binary for column (e); absent means the column is skipped. */
  skrouterd: string | undefined;
  /** Only these paths (comma list of ids), or all when absent. */
  only: string[] | undefined;
}

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

function list(name: string): string[] | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function readSettings(): BenchSettings {
  const idle = (list('BENCH_IDLE') ?? ['1000', '10000']).map(Number);
  if (idle.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`BENCH_IDLE must be a comma list of positive integers`);
  const skrouterd = process.env['SKROUTERD'];
  return {
    seconds: positiveNumber('BENCH_SECONDS', 5),
    // At least 3 by default: absolute numbers move ±20 % between runs on shared machines.
    reps: Math.round(positiveNumber('BENCH_REPS', 3)),
    idleLevels: idle.sort((x, y) => x - y),
    skrouterd: skrouterd === undefined || skrouterd === '' ? undefined : skrouterd,
    only: list('BENCH_ONLY'),
  };
}
