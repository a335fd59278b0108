/**
 * Waiting for the controller: polls a check that says which items are done, prints on stderr what
 * it still waits for whenever that changes (and every so often while it does not), and on timeout
 * fails naming each missing item and why, from the objects' conditions.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, ErrorCode } from '../../errors.js';

export interface WaitItem {
  /** What is waited for, e.g. `router pod Ready`. */
  label: string;
  done: boolean;
  /** Why it is not done yet, e.g. a condition's message. */
  why?: string;
}

export interface Checked<T> {
  value: T;
  items: WaitItem[];
}

export interface WaitOptions<T> {
  /** What the wait is about, for the timeout message: `Site "west"`. */
  subject: string;
  timeoutMs: number;
  check: () => Promise<Checked<T>>;
  progress: (line: string) => void;
  /** A failure the check's result shows before the timeout (e.g. no controller answers). */
  giveUp?: (checked: Checked<T>, elapsedMs: number) => CliError | undefined;
  hint: string;
  pollMs?: number;
  clock?: () => number;
}

const HEARTBEAT_MS = 15_000;

export async function waitFor<T>(options: WaitOptions<T>): Promise<T> {
  const clock = options.clock ?? Date.now;
  const start = clock();
  let shown: string | undefined;
  let shownAt = start;
  for (;;) {
    const checked = await options.check();
    const elapsed = clock() - start;
    const missing = checked.items.filter((i) => !i.done);
    if (missing.length === 0) return checked.value;
    const failure = options.giveUp?.(checked, elapsed);
    if (failure !== undefined) throw failure;
    if (elapsed >= options.timeoutMs) {
      throw new CliError(ErrorCode.SKIFF_ERR_TIMEOUT, `${options.subject} is not ready after ${formatSeconds(elapsed)}; still missing: ${missing.map(describeMissing).join('; ')}`, options.hint);
    }
    const line = progressLine(missing, elapsed);
    const labels = missing.map((i) => i.label).join(', ');
    if (labels !== shown || clock() - shownAt >= HEARTBEAT_MS) {
      options.progress(line);
      shown = labels;
      shownAt = clock();
    }
    await sleep(options.pollMs ?? 1000);
  }
}

/** `waiting for: router pod Ready, link access endpoints (12 s)`. */
export function progressLine(missing: readonly WaitItem[], elapsedMs: number): string {
  return `waiting for: ${missing.map((i) => i.label).join(', ')}${elapsedMs >= 1000 ? ` (${formatSeconds(elapsedMs)})` : ''}`;
}

export function describeMissing(item: WaitItem): string {
  return item.why === undefined || item.why === '' ? item.label : `${item.label} (${item.why})`;
}

export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
