/**
 * `npm run bench`: one run over every path on 127.0.0.1, in this order:
 *
 *   start the bench server, then each path (a direct, b TLS tunnel, c/d Skiff, e skupper-router)
 *   idle-stream RSS on each path's fresh relays
 *   for each repetition: for each path: for each workload: one generator process, one result
 *   medians, ratios to (a) and (b), targets; tables on stdout, JSON in bench/results/
 *
 * Repetitions go round the paths, so drift of the shared machine spreads over all columns alike.
 * A path or cell that fails is marked "n/a (reason)" and the run carries on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { stopAllChildren } from './children.js';
import { measureIdle } from './idle-rss.js';
import { runJob, startBenchServer } from './load/load-children.js';
import { WORKLOADS } from './metrics.js';
import type { BenchPath, PathSpec } from './paths/bench-path.js';
import { directPath } from './paths/direct.js';
import { skiffPath } from './paths/skiff-routers.js';
import { skupperPath } from './paths/skupper-routers.js';
import { tlsTunnelPath } from './paths/tls-tunnel.js';
import type { PathResult } from './path-result.js';
import { idleTable, memoryRatioTable, metricsTable, targetsTable } from './report.js';
import { RESULTS_DIR } from './repo-paths.js';
import { readSettings } from './settings.js';
import { skiffVsSkupper } from './skiff-vs-skupper.js';
import { median } from './stats.js';
import { checkTargets } from './targets.js';
import { waitFor } from '../test/support/router-process.js';
import { tryConnect } from '../test/support/tcp-peers.js';
import { TestPki } from '../test/support/tls-files.js';

const ACCEPT_TIMEOUT_MS = 30_000;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const log = (line: string): void => console.log(`[bench] ${line}`);

async function main(): Promise<void> {
  const settings = readSettings();
  const startedAt = new Date();
  log(`seconds=${settings.seconds} reps=${settings.reps} idle=${settings.idleLevels.join(',')} cpus=${cpus().length}`);
  const specs: PathSpec[] = [directPath, tlsTunnelPath, skiffPath(1), skiffPath(2)];
  if (settings.skrouterd !== undefined) specs.push(skupperPath(settings.skrouterd));
  const chosen = specs.filter((s) => settings.only === undefined || settings.only.includes(s.id));
  const results: PathResult[] = chosen.map((s) => ({ id: s.id, title: s.title, notes: [], relays: [], metrics: {} }));
  if (settings.skrouterd === undefined) log('(e) skupper-router skipped: set SKROUTERD=/path/to/skrouterd to include it');

  const pki = new TestPki('skiff-bench-ca');
  const started = new Map<string, BenchPath>();
  try {
    const tls = pki.issue('skiff-bench');
    const server = await startBenchServer();
    for (const [i, spec] of chosen.entries()) {
      const result = results[i];
      if (result === undefined) continue;
      try {
        const path = await spec.start({ serverPort: server.port, tls });
        started.set(spec.id, path);
        result.relays = path.relays.map((r) => r.label);
        result.notes.push(...path.notes);
        log(`(${spec.id}) ${spec.title} up on port ${path.port}${path.relays.length > 0 ? `, relays ${path.relays.map((r) => `${r.label}=${r.pid}`).join(' ')}` : ''}`);
      } catch (error) {
        result.error = message(error);
        log(`(${spec.id}) ${spec.title} failed to start: ${result.error}`);
      }
    }

    for (const result of results) {
      const path = started.get(result.id);
      if (path === undefined || path.relays.length === 0) continue;
      log(`(${result.id}) idle streams ${settings.idleLevels.join(', ')}`);
      try {
        result.idle = await measureIdle(path, settings.idleLevels);
      } catch (error) {
        result.idle = { error: message(error) };
      }
    }

    const reps = new Map<string, number[]>();
    for (let rep = 1; rep <= settings.reps; rep++) {
      for (const result of results) {
        const path = started.get(result.id);
        if (path === undefined) continue;
        for (const workload of WORKLOADS) {
          // A workload that failed once stays n/a: repeating it would only repeat the timeout.
          if (workload.metrics.some((m) => result.metrics[m.key] !== undefined && 'error' in (result.metrics[m.key] ?? {}))) continue;
          log(`rep ${rep}/${settings.reps} (${result.id}) ${workload.name}`);
          try {
            // A router may close its tcpListener for a while (e.g. after tearing down 10,000 idle
            // streams); wait for it rather than record a refusal as the path's figure.
            await waitFor(async () => (await tryConnect(path.port)) === 'connected', `(${result.id}) accepting on port ${path.port}`, ACCEPT_TIMEOUT_MS);
            const figures = await runJob(workload.job(path.port, settings.seconds));
            for (const m of workload.metrics) {
              const value = figures[m.figure];
              if (value === undefined) throw new Error(`no figure ${m.figure}`);
              const key = `${result.id}/${m.key}`;
              const values = [...(reps.get(key) ?? []), value];
              reps.set(key, values);
              result.metrics[m.key] = { reps: values, median: median(values) };
            }
          } catch (error) {
            for (const m of workload.metrics) result.metrics[m.key] = { error: message(error) };
          }
        }
      }
    }

    const targets = checkTargets(results);
    const vs = skiffVsSkupper(results);
    console.log(`\nSkiff bench, ${startedAt.toISOString()}, ${settings.seconds} s × ${settings.reps} reps (medians), ${cpus().length} cores\n`);
    console.log(metricsTable(results, vs));
    console.log(`\nRSS with idle streams held open (once per path, on fresh relays)\n`);
    console.log(idleTable(results));
    if (vs !== undefined) {
      console.log(`\nSkiff (c) ÷ skupper-router (e), RSS\n`);
      console.log(memoryRatioTable(vs));
    }
    console.log(`\nTargets\n`);
    console.log(targetsTable(targets));
    for (const r of results) for (const note of r.notes) console.log(`note (${r.id}): ${note}`);
    if (settings.skrouterd === undefined) console.log('note (e): skupper-router skipped; set SKROUTERD=/path/to/skrouterd');

    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryBytes: totalmem(), node: process.version };
    writeFileSync(file, JSON.stringify({ startedAt: startedAt.toISOString(), settings, machine, paths: results, targets, ...(vs === undefined ? {} : { skiffVsSkupper: vs }) }, null, 2));
    console.log(`\nJSON: ${file}`);
    await server.stop();
  } finally {
    await Promise.all([...started.values()].map((p) => p.stop()));
    await stopAllChildren();
    pki.dispose();
  }
}

// Ctrl-C or a kill: stop every child first, then leave with the conventional status.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping every process the bench started`);
    void stopAllChildren().finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));
  });
}

main().catch((error: unknown) => {
  console.error(`[bench] failed: ${message(error)}`);
  process.exitCode = 1;
});
