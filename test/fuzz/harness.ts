/**
 * What a fuzz target is and how one is run: fast-check generates the inputs (reproducible from a
 * seed), each input runs under a time budget and an allocation bound, and a failure is shrunk to
 * a small input. `run.ts` runs targets for 10⁶ inputs in workers; `fuzz-seeded.unit.test.ts` runs
 * a few hundred of each inside `npm test`.
 */
import { getHeapStatistics } from 'node:v8';
import fc from 'fast-check';

export interface FuzzTarget<T> {
  readonly name: string;
  /** One line: what is fuzzed and which properties are checked. */
  readonly about: string;
  readonly input: fc.Arbitrary<T>;
  /** Runs one input; throws when a property breaks (see `documentedOnly`). */
  run(input: T): void | Promise<void>;
  /** Starts what the target needs (a server); returns how to stop it. */
  setup?(): Promise<() => Promise<void>>;
  /** Time one input may take, in ms (default 1000: a parser never needs that long). */
  readonly budgetMs?: number;
}

/** Bytes one input may make the process hold beyond its own size (a length field must not allocate). */
const ALLOCATION_SLACK = 64 * 1024 * 1024;

/**
 * Runs `fn`. A throw of `documented` (the module's own error type) with a message is the clear
 * refusal a bad input must get, and returns undefined; any other throw is a property failure.
 */
export function documentedOnly<R>(documented: abstract new (...args: never[]) => Error, fn: () => R): R | undefined {
  try {
    return fn();
  } catch (error) {
    throw unlessDocumented(documented, error);
  }
}

/** The async form of `documentedOnly`. */
export async function documentedOnlyAsync<R>(documented: abstract new (...args: never[]) => Error, fn: () => Promise<R>): Promise<R | undefined> {
  try {
    return await fn();
  } catch (error) {
    throw unlessDocumented(documented, error);
  }
}

function unlessDocumented(documented: abstract new (...args: never[]) => Error, error: unknown): unknown {
  if (error instanceof documented && error.message.trim() !== '') return new Refused();
  const what = error instanceof Error ? `${error.name}: ${error.message}` : `a non-error ${String(error)}`;
  return new Error(`threw ${what} where only a ${documented.name} is documented`, { cause: error });
}

/** Marks a documented refusal on its way out of `documentedOnly`: the input was rightly refused. */
class Refused extends Error {}

export interface RunOptions {
  runs: number;
  seed: number;
  /** Called before each input with its index (the runner's watchdog counts these). */
  onInput?(index: number): void;
  /** Replay: skip inputs before this index and hand this one to `onReplay` before running it. */
  replayIndex?: number;
  onReplay?(input: string): void;
}

export interface RunReport {
  target: string;
  seed: number;
  runs: number;
  ms: number;
  /** Inputs refused with the documented error. */
  refused: number;
  /** fast-check's report of the shrunk failing input, when a property broke. */
  failure?: string;
}

/** Runs `target` for `options.runs` inputs from `options.seed`. */
export async function runTarget<T>(target: FuzzTarget<T>, options: RunOptions): Promise<RunReport> {
  const budget = target.budgetMs ?? 1000;
  let index = 0;
  let refused = 0;
  const once = async (input: T): Promise<void> => {
    const heap = getHeapStatistics();
    try {
      await target.run(input);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      refused++;
    }
    const after = getHeapStatistics();
    const external = after.external_memory - heap.external_memory;
    // The heap also grows by garbage not yet collected: it gets twice the slack.
    const onHeap = after.used_heap_size - heap.used_heap_size;
    if (external > ALLOCATION_SLACK || onHeap > 2 * ALLOCATION_SLACK) {
      throw new Error(`one input made the process hold ${external} more bytes outside the heap and ${onHeap} on it`);
    }
  };
  const property = fc.asyncProperty(target.input, async (input) => {
    const at = index++;
    if (options.replayIndex !== undefined) {
      if (at < options.replayIndex) return;
      if (at === options.replayIndex) options.onReplay?.(fc.stringify(input));
    }
    options.onInput?.(at);
    const started = performance.now();
    await once(input);
    const ms = performance.now() - started;
    // A busy machine can stall one input: only an input slow twice breaks the budget.
    if (ms > budget) {
      const again = performance.now();
      await once(input);
      const retry = performance.now() - again;
      if (retry > budget) throw new Error(`input took ${Math.round(ms)} ms, then ${Math.round(retry)} ms (budget ${budget} ms)`);
    }
  });
  const stop = target.setup === undefined ? undefined : await target.setup();
  const started = performance.now();
  try {
    const details = await fc.check(property, { numRuns: options.runs, seed: options.seed, verbose: 0 });
    const report: RunReport = { target: target.name, seed: options.seed, runs: details.numRuns, ms: performance.now() - started, refused };
    if (details.failed) {
      const error = details.errorInstance;
      const why = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `\n${error.cause.stack ?? ''}` : ''}` : String(error);
      report.failure = `${fc.defaultReportMessage(details) ?? 'failed'}\n${why}`;
    }
    return report;
  } finally {
    await stop?.();
  }
}
