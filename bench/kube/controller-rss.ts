/**
 * `npm run bench:kube`: the site-controller on a one-cluster test bed, as a process of its own
 * watching every namespace. It reports, against an idle Node process measured in the same run:
 * the controller's RSS when idle with 1 Site and with 20 Sites, and the time from creating a Site to
 * its Ready condition (the first one alone, then 19 at once). Needs root and the test bed build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { startTestbed, type Testbed } from '../../test/testbed/src/testbed.js';
import { run } from '../../test/testbed/src/exec.js';
import { binary } from '../../test/testbed/src/paths.js';
import { waitFor } from '../../test/testbed/src/wait.js';
import { memoryOf } from '../../test/support/process-memory.js';
import { REPO_ROOT } from '../repo-paths.js';

const SITES = Number(process.env['BENCH_SITES'] ?? 20);
const IDLE_MS = 10_000;

interface Row {
  what: string;
  value: string;
}

function startController(kubeconfig: string): ChildProcess {
  return spawn(process.execPath, [join(REPO_ROOT, 'dist/site-controller/src/main.js')], {
    env: { ...process.env, KUBECONFIG: kubeconfig, SKIFF_WATCH_NAMESPACES: '*', POD_NAMESPACE: 'skiff-bench', POD_NAME: 'bench-controller', SKIFF_HEALTH_PORT: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** RSS after `IDLE_MS` without work, the lowest of a few samples (GC settles between them). */
async function idleRss(pid: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(memoryOf(pid).now / 1024);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return Math.min(...samples);
}

async function createSites(tb: Testbed, names: readonly string[]): Promise<number> {
  const c = tb.clusters[0];
  if (c === undefined) throw new Error('no cluster');
  const core = c.kc.makeApiClient(CoreV1Api);
  const custom = c.kc.makeApiClient(CustomObjectsApi);
  const started = Date.now();
  for (const ns of names) {
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await custom.createNamespacedCustomObject({ group: 'skupper.io', version: 'v2alpha1', namespace: ns, plural: 'sites', body: { apiVersion: 'skupper.io/v2alpha1', kind: 'Site', metadata: { name: ns }, spec: { linkAccess: 'default' } } });
  }
  await waitFor(`${names.length} Sites Ready`, async () => {
    for (const ns of names) {
      const site = (await custom.getNamespacedCustomObject({ group: 'skupper.io', version: 'v2alpha1', namespace: ns, plural: 'sites', name: ns })) as { status?: { status?: string } };
      if (site.status?.status !== 'Ready') return false;
    }
    return true;
  }, 600_000);
  return Date.now() - started;
}

async function main(): Promise<void> {
  const tb = await startTestbed({ clusters: 1 });
  const rows: Row[] = [];
  const baseline = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  let controller: ChildProcess | undefined;
  try {
    const c = tb.clusters[0];
    if (c === undefined) throw new Error('no cluster');
    const kubectl = (...args: string[]) => run(binary('kubectl'), [`--kubeconfig=${c.kubeconfig}`, ...args]);
    await kubectl('apply', '-f', join(REPO_ROOT, 'charts/skiff/crds'));
    await kubectl('create', 'namespace', 'skiff-bench');
    controller = startController(c.kubeconfig);
    const pid = controller.pid ?? 0;
    const base = await idleRss(baseline.pid ?? 0);
    rows.push({ what: 'idle node process (baseline)', value: `${(base / 1024).toFixed(1)} MiB` });
    const first = await createSites(tb, ['site-1']);
    rows.push({ what: 'Site created → Ready (1 site)', value: `${(first / 1000).toFixed(1)} s` });
    const one = await idleRss(pid);
    rows.push({ what: 'controller RSS idle, 1 Site', value: `${(one / 1024).toFixed(1)} MiB (${(one / base).toFixed(2)}x baseline)` });
    const rest = Array.from({ length: SITES - 1 }, (_, i) => `site-${i + 2}`);
    const many = await createSites(tb, rest);
    rows.push({ what: `Sites created → Ready (${rest.length} at once)`, value: `${(many / 1000).toFixed(1)} s` });
    const all = await idleRss(pid);
    rows.push({ what: `controller RSS idle, ${SITES} Sites`, value: `${(all / 1024).toFixed(1)} MiB (${(all / base).toFixed(2)}x baseline, ${((all - one) / (SITES - 1)).toFixed(0)} KiB per extra Site)` });
  } finally {
    controller?.kill('SIGTERM');
    baseline.kill();
    await tb.stop();
  }
  const width = Math.max(...rows.map((r) => r.what.length));
  for (const row of rows) console.log(`${row.what.padEnd(width)}  ${row.value}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
