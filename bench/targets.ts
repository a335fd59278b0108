/** Skiff's performance targets, checked against the same run's baselines (ratios, never absolutes). */
import type { MetricKey } from './metrics.js';
import { medianOf, type PathResult } from './path-result.js';

export interface TargetCheck {
  target: string;
  status: 'met' | 'NOT met' | 'n/a';
  detail: string;
}

const MAX_KIB_PER_IDLE_STREAM = 12;

type ByPath = Map<string, PathResult>;

function ratio(byPath: ByPath, subject: string, base: string, key: MetricKey, factor: number, atLeast: boolean): TargetCheck {
  const target = `(${subject}) ${key} ${atLeast ? '≥' : '≤'} ${factor} × (${base})`;
  const s = medianOf(byPath.get(subject), key);
  const b = medianOf(byPath.get(base), key);
  if (s === undefined || b === undefined || b === 0) return { target, status: 'n/a', detail: 'not measured' };
  const r = s / b;
  const met = atLeast ? r >= factor : r <= factor;
  return { target, status: met ? 'met' : 'NOT met', detail: `${s.toFixed(2)} / ${b.toFixed(2)} = ${r.toFixed(2)}` };
}

function idlePerStream(byPath: ByPath, subject: string): TargetCheck[] {
  const idle = byPath.get(subject)?.idle;
  const target = (relay: string): string => `(${subject}) ${relay} RSS per idle stream ≤ ${MAX_KIB_PER_IDLE_STREAM} KiB`;
  if (idle === undefined || 'error' in idle) return [{ target: target('routers'), status: 'n/a', detail: idle?.error ?? 'not measured' }];
  const last = idle.steps.at(-1);
  if (last === undefined) return [{ target: target('routers'), status: 'n/a', detail: 'no idle step' }];
  return Object.entries(last.perStreamKiB).map(([relay, kib]) => ({
    target: target(relay),
    status: Number.isNaN(kib) ? 'n/a' : kib <= MAX_KIB_PER_IDLE_STREAM ? 'met' : 'NOT met',
    detail: `${kib.toFixed(1)} KiB at ${last.held} streams${last.held < last.requested ? ` (of ${last.requested} asked: ${last.error ?? ''})` : ''}`,
  }));
}

export function checkTargets(results: readonly PathResult[]): TargetCheck[] {
  const byPath: ByPath = new Map(results.map((r) => [r.id, r]));
  return [
    ratio(byPath, 'c', 'b', 'up1', 0.9, true),
    ratio(byPath, 'c', 'b', 'down1', 0.9, true),
    ratio(byPath, 'c', 'a', 'conn1', 0.35, true),
    ratio(byPath, 'c', 'a', 'conn32', 0.35, true),
    ratio(byPath, 'c', 'b', 'rttP50', 1.1, false),
    ratio(byPath, 'c', 'b', 'rttP99', 1.2, false),
    ratio(byPath, 'd', 'c', 'up1', 0.8, true),
    ratio(byPath, 'd', 'c', 'down1', 0.8, true),
    ratio(byPath, 'd', 'c', 'up8', 0.8, true),
    ...idlePerStream(byPath, 'c'),
    ...idlePerStream(byPath, 'd'),
  ];
}
