/**
 * RSS of each relay while N idle streams are held open through a path. Measured on fresh relays,
 * before any bulk traffic, so buffers grown by throughput runs do not count as per-stream cost.
 * Measured once per path (not repeated): the streams of one step stay open into the next.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startIdleHolder } from './load/load-children.js';
import type { BenchPath } from './paths/bench-path.js';
import { memoryOf } from '../test/support/process-memory.js';

/** Lets relays finish setting up (and the GC run) before RSS is read. */
const SETTLE_MS = 1500;

export interface IdleStep {
  requested: number;
  held: number;
  /** What stopped the holder short of `requested`, if anything. */
  error?: string;
  /** Connection attempts the path refused on the way (its listener was closed for a while). */
  refused: number;
  rssKiB: Record<string, number>;
  /** (RSS at this step − base) / held, per relay. */
  perStreamKiB: Record<string, number>;
}

export interface IdleResult {
  baseKiB: Record<string, number>;
  steps: IdleStep[];
}

/** Each relay's RSS in KiB. */
function rssOf(path: BenchPath): Record<string, number> {
  return Object.fromEntries(path.relays.map((r) => [r.label, memoryOf(r.pid).now / 1024]));
}

export async function measureIdle(path: BenchPath, levels: readonly number[]): Promise<IdleResult> {
  const baseKiB = rssOf(path);
  const holder = startIdleHolder(path.port);
  const steps: IdleStep[] = [];
  try {
    for (const requested of levels) {
      const { count, refused, error } = await holder.hold(requested);
      await sleep(SETTLE_MS);
      const rssKiB = rssOf(path);
      const perStreamKiB = Object.fromEntries(Object.entries(rssKiB).map(([label, kib]) => [label, count > 0 ? (kib - (baseKiB[label] ?? 0)) / count : Number.NaN]));
      steps.push({ requested, held: count, refused, ...(error === undefined ? {} : { error }), rssKiB, perStreamKiB });
      if (error !== undefined) break;
    }
  } finally {
    await holder.stop();
    // Relays tear the streams down after the holder exits; let that finish before timed runs.
    await sleep(SETTLE_MS);
  }
  return { baseKiB, steps };
}
