/** What one run found for one path: per-metric repetitions and medians, and the idle-stream RSS. */
import type { IdleResult } from './idle-rss.js';
import type { MetricKey } from './metrics.js';

export type Cell = { reps: number[]; median: number } | { error: string };

export interface PathResult {
  id: string;
  title: string;
  /** Why the path could not be started or measured at all. */
  error?: string;
  notes: string[];
  relays: string[];
  metrics: Partial<Record<MetricKey, Cell>>;
  idle?: IdleResult | { error: string };
}

/** The median of `key` on `path`, or undefined when it was not measured. */
export function medianOf(path: PathResult | undefined, key: MetricKey): number | undefined {
  const cell = path?.metrics[key];
  return cell !== undefined && 'median' in cell ? cell.median : undefined;
}
