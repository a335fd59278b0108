/** Plain-text tables of a run: metrics with ratios to (a) and (b), idle-stream RSS, targets. */
import { METRICS, type MetricDef } from './metrics.js';
import { medianOf, type PathResult } from './path-result.js';
import type { SkiffVsSkupper } from './skiff-vs-skupper.js';
import type { TargetCheck } from './targets.js';

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** "value (×ratio to a, ×ratio to b)": ratios only for columns after their baseline. */
function metricCell(path: PathResult, key: MetricDef, baselines: { a: PathResult | undefined; b: PathResult | undefined }): string {
  const cell = path.metrics[key.key];
  if (path.error !== undefined) return `n/a (${path.error.split('\n')[0] ?? ''})`.slice(0, 60);
  if (cell === undefined) return 'n/a';
  if ('error' in cell) return `n/a (${cell.error})`.slice(0, 60);
  const ratios: string[] = [];
  for (const [id, base] of [['a', baselines.a], ['b', baselines.b]] as const) {
    const b = medianOf(base, key.key);
    if (path.id > id && b !== undefined && b > 0) ratios.push(`${(cell.median / b).toFixed(2)}×${id}`);
  }
  const value = cell.median.toFixed(key.digits);
  return ratios.length === 0 ? value : `${value} (${ratios.join(', ')})`;
}

/** With (c) and (e) both measured, a last column: Skiff (c) ÷ skupper-router (e). */
export function metricsTable(results: readonly PathResult[], vs?: SkiffVsSkupper): string {
  const baselines = { a: results.find((r) => r.id === 'a'), b: results.find((r) => r.id === 'b') };
  const head = ['metric', ...results.map((r) => `(${r.id}) ${r.title}`), ...(vs === undefined ? [] : ['(c) ÷ (e)'])];
  const rows = METRICS.map((m) => [
    `${m.label} [${m.unit}]`,
    ...results.map((r) => metricCell(r, m, baselines)),
    ...(vs === undefined ? [] : [vs.metrics[m.key]?.toFixed(2) ?? 'n/a']),
  ]);
  return table([head, ...rows]);
}

/** Skiff (c) ÷ skupper-router (e) for each relay's RSS, at rest and per idle stream. */
export function memoryRatioTable(vs: SkiffVsSkupper): string {
  const rows = Object.entries(vs.memory).map(([what, r]) => [what, r.toFixed(2)]);
  return rows.length === 0 ? '(idle RSS not measured on both)' : table([['RSS', '(c) ÷ (e)'], ...rows]);
}

const mib = (kib: number | undefined): string => (kib === undefined ? '–' : (kib / 1024).toFixed(1));

export function idleTable(results: readonly PathResult[]): string {
  const levels = [...new Set(results.flatMap((r) => (r.idle !== undefined && 'steps' in r.idle ? r.idle.steps.map((s) => s.requested) : [])))];
  const head = ['relay', 'base MiB', ...levels.flatMap((l) => [`at ${l} MiB`, `KiB/stream at ${l}`])];
  const rows: string[][] = [];
  for (const r of results) {
    if (r.idle === undefined) continue;
    if ('error' in r.idle) {
      rows.push([`(${r.id}) ${r.title}`, `n/a (${r.idle.error})`.slice(0, 60)]);
      continue;
    }
    for (const relay of r.relays) {
      const { baseKiB, steps } = r.idle;
      const cells = levels.flatMap((l) => {
        const step = steps.find((s) => s.requested === l);
        if (step === undefined) return ['–', '–'];
        const short = step.held < step.requested ? ` (${step.held} held: ${step.error ?? ''})` : step.refused > 0 ? ` (${step.refused} refused on the way)` : '';
        return [mib(step.rssKiB[relay]) + short, (step.perStreamKiB[relay] ?? Number.NaN).toFixed(1)];
      });
      rows.push([`(${r.id}) ${relay}`, mib(baseKiB[relay]), ...cells]);
    }
  }
  return rows.length === 0 ? '(no relays measured)' : table([head, ...rows]);
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  return table([['target', 'status', 'measured'], ...checks.map((c) => [c.target, c.status, c.detail])]);
}
