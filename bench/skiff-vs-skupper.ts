/**
 * Skiff (c) ÷ skupper-router (e), the comparison users make: every timed metric's medians, and
 * each relay's RSS at rest and per idle stream. Above 1 means Skiff's figure is the larger (better
 * for throughput and connections/s, worse for RTT and memory).
 */
import { METRICS, type MetricKey } from './metrics.js';
import { medianOf, type PathResult } from './path-result.js';

export interface SkiffVsSkupper {
  metrics: Partial<Record<MetricKey, number>>;
  /** "router A base", "router A per stream at 1000", ... */
  memory: Record<string, number>;
}

const ratio = (c: number | undefined, e: number | undefined): number | undefined => (c !== undefined && e !== undefined && e > 0 ? c / e : undefined);

/** Undefined unless both (c) and (e) ran. */
export function skiffVsSkupper(results: readonly PathResult[]): SkiffVsSkupper | undefined {
  const c = results.find((r) => r.id === 'c');
  const e = results.find((r) => r.id === 'e');
  if (c === undefined || e === undefined || c.error !== undefined || e.error !== undefined) return undefined;
  const metrics: Partial<Record<MetricKey, number>> = {};
  for (const m of METRICS) {
    const r = ratio(medianOf(c, m.key), medianOf(e, m.key));
    if (r !== undefined) metrics[m.key] = r;
  }
  const memory: Record<string, number> = {};
  if (c.idle !== undefined && 'steps' in c.idle && e.idle !== undefined && 'steps' in e.idle) {
    const [ci, ei] = [c.idle, e.idle];
    for (const relay of c.relays) {
      const base = ratio(ci.baseKiB[relay], ei.baseKiB[relay]);
      if (base !== undefined) memory[`${relay} base`] = base;
      for (const step of ci.steps) {
        const other = ei.steps.find((s) => s.requested === step.requested);
        const perStream = ratio(step.perStreamKiB[relay], other?.perStreamKiB[relay]);
        if (perStream !== undefined) memory[`${relay} per stream at ${step.requested}`] = perStream;
      }
    }
  }
  return { metrics, memory };
}
