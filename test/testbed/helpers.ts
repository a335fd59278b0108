/**
 * Shared by the test bed's integration tests: manifests of the test images, kubectl against a
 * cluster (the real, built kubectl), and the checks that nothing of the test bed is left.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { testbedNamespaces, testbedProcesses } from './src/cleanup.js';
import { BINARIES, binary, binDir } from './src/paths.js';
import { run } from './src/exec.js';

import { waitFor } from './src/wait.js';

export { waitFor };

/**
 * True when the built components are missing and this is not CI: a developer who has not run
 * `npm run testbed:build` gets a warning and skipped test bed tests. In CI (CI=true) the tests
 * run and fail with the build hint instead, so a broken build step cannot pass unnoticed.
 */
export function skipWithoutComponents(): boolean {
  const missing = BINARIES.filter((b) => !existsSync(join(binDir(), b)));
  if (missing.length === 0 || process.env['CI'] === 'true') return false;
  console.warn(`test bed components not built (${missing.join(', ')}): skipping; run \`npm run testbed:build\``);
  return true;
}

/**
 * Samples replies (pod names) until, as a set, they are exactly `expected`: Services follow pod
 * changes through EndpointSlices and the proxy's next sync, so the first samples after a change
 * may still show the old state. Fails with the last sample when the deadline passes.
 */
export async function untilReplies(what: string, sample: () => Promise<string[]>, expected: readonly string[], deadlineMs = 30_000): Promise<string[]> {
  let last: string[] = [];
  const want = [...new Set(expected)].sort().join(',');
  try {
    await waitFor(what, async () => {
      last = await sample();
      return [...new Set(last)].sort().join(',') === want;
    }, deadlineMs);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; wanted ${want}, last replies: ${last.join(', ')}`);
  }
  return last;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a built tool (kubectl, helm) against a cluster; resolves with its exit code and output. */
function tool(name: 'kubectl' | 'helm', kubeconfig: string, args: readonly string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(binary(name), [`--kubeconfig=${kubeconfig}`, ...args], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

export function kubectl(kubeconfig: string, args: readonly string[], input?: string): Promise<KubectlResult> {
  return tool('kubectl', kubeconfig, args, input);
}

/** The built helm (pinned in versions.env), e.g. helm(kc, ['install', 'skiff', 'charts/skiff', '-n', 'west']). */
export function helm(kubeconfig: string, args: readonly string[], input?: string): Promise<KubectlResult> {
  return tool('helm', kubeconfig, args, input);
}

export async function apply(kubeconfig: string, docs: readonly object[], namespace = 'default'): Promise<void> {
  const result = await kubectl(kubeconfig, ['apply', '-n', namespace, '-f', '-'], docs.map((d) => stringify(d)).join('---\n'));
  if (result.code !== 0) throw new Error(`kubectl apply failed: ${result.stderr}`);
}

export async function getJson<T>(kubeconfig: string, args: readonly string[]): Promise<T> {
  const result = await kubectl(kubeconfig, ['get', '-o', 'json', ...args]);
  if (result.code !== 0) throw new Error(`kubectl get ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export interface PodSummary {
  name: string;
  ip: string;
  phase: string;
  ready: boolean;
  restarts: number;
}

export async function pods(kubeconfig: string, selector: string, namespace = 'default'): Promise<PodSummary[]> {
  type PodList = {
    items: {
      metadata: { name: string; deletionTimestamp?: string };
      status: { podIP?: string; phase?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { restartCount: number }[] };
    }[];
  };
  const list = await getJson<PodList>(kubeconfig, ['pods', '-n', namespace, '-l', selector]);
  return list.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => ({
      name: p.metadata.name,
      ip: p.status.podIP ?? '',
      phase: p.status.phase ?? '',
      ready: p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      restarts: p.status.containerStatuses?.reduce((n, c) => n + c.restartCount, 0) ?? 0,
    }));
}

export interface HelloOptions {
  name?: string;
  replicas?: number;
  serviceType?: 'ClusterIP' | 'LoadBalancer' | 'NodePort';
}

/** A Deployment of skiff-testbed/hello with fast probes, and its Service on port 80. */
export function helloManifests(options: HelloOptions = {}): object[] {
  const name = options.name ?? 'hello';
  // Fast periods for quick tests; generous timeouts so a busy machine does not fail a probe.
  const probe = (path: string, failureThreshold: number) => ({ httpGet: { path, port: 'http' }, periodSeconds: 1, timeoutSeconds: 3, failureThreshold });
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        replicas: options.replicas ?? 2,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            terminationGracePeriodSeconds: 5,
            containers: [
              {
                name: 'hello',
                image: 'skiff-testbed/hello:latest',
                env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: probe('/ready', 1),
                livenessProbe: probe('/live', 3),
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { type: options.serviceType ?? 'ClusterIP', selector: { app: name }, ports: [{ port: 80, targetPort: 'http' }] },
    },
  ];
}

export function clientPod(name = 'client'): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'client', image: 'skiff-testbed/client' }] },
  };
}

export interface Leftovers {
  namespaces: string[];
  links: string[];
  tables: string[];
  processes: string[];
  etcNetns: string[];
  stateDir: string[];
}

/** Everything the test bed might leave behind on the host; all empty after a clean stop. */
export async function leftovers(stateDir: string): Promise<Leftovers> {
  const links = (await run('ip', ['-o', 'link', 'show'])).split('\n').filter((l) => /\b(skt-|u-c\d|cbr0|ul0)/.test(l));
  const tables = (await run('nft', ['list', 'tables'])).split('\n').filter((l) => l.includes('skt-'));
  const etcNetns = existsSync('/etc/netns') ? readdirSync('/etc/netns').filter((e) => e.startsWith('skt-')) : [];
  return {
    namespaces: await testbedNamespaces(),
    links,
    tables,
    processes: testbedProcesses(stateDir).map(String),
    etcNetns,
    stateDir: existsSync(stateDir) ? [stateDir] : [],
  };
}
