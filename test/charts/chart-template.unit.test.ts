/**
 * The chart, rendered by the real (test-bed-built) helm: golden files of `helm template` output,
 * plus the properties a reader of the golden diff could miss. Regenerate the golden files after an
 * intended chart change with `UPDATE_GOLDEN=1 npx vitest run test/charts/chart-template.unit.test.ts`
 * and review the diff.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ADAPTOR_RULES } from '../../site-controller/src/desired/router-rbac.js';
import { binary, binDir, REPO_ROOT, versions } from '../testbed/src/paths.js';

const CHART = join(REPO_ROOT, 'charts/skiff');
const GOLDEN = join(REPO_ROOT, 'test/charts/golden');
const NAMESPACE = 'west';

/** Like skipWithoutComponents, for the one component this test needs. */
function skipWithoutHelm(): boolean {
  if (existsSync(join(binDir(), 'helm')) || process.env['CI'] === 'true') return false;
  console.warn('helm is not built: skipping the chart tests; run `npm run testbed:build`');
  return true;
}

interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

function helm(args: readonly string[]): Promise<HelmResult> {
  return new Promise((resolve) => {
    execFile(binary('helm'), args, { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function template(set: readonly string[]): Promise<HelmResult> {
  const sets = set.flatMap((s) => ['--set', s]);
  return helm(['template', 'skiff', CHART, '-n', NAMESPACE, '--kube-version', versions().kubernetes, ...sets]);
}

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: unknown;
}

async function render(golden: string, set: readonly string[] = []): Promise<Manifest[]> {
  const result = await template(set);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const path = join(GOLDEN, golden);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, result.stdout);
  const hint = `${golden} differs: if the chart change is intended, rerun with UPDATE_GOLDEN=1 and review the diff`;
  expect(result.stdout, hint).toBe(existsSync(path) ? readFileSync(path, 'utf8') : '');
  return parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

const kinds = (manifests: readonly Manifest[]): string[] => manifests.map((m) => `${m.kind}/${m.metadata.namespace ?? ''}`);

interface PodSpec {
  automountServiceAccountToken?: boolean;
  securityContext: Record<string, unknown>;
  containers: {
    env: { name: string; value?: string }[];
    securityContext: Record<string, unknown>;
    resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  }[];
}

function podSpec(manifests: readonly Manifest[]): PodSpec {
  const deployment = manifests.find((m) => m.kind === 'Deployment') as { spec: { template: { spec: PodSpec } } } | undefined;
  if (!deployment) throw new Error('no Deployment rendered');
  return deployment.spec.template.spec;
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
}

/** Every group/resource/verb a list of rules allows. */
function triples(rules: readonly Rule[]): string[] {
  return rules.flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).flatMap((res) => r.verbs.map((v) => `${g}/${res}/${v}`))));
}

describe.skipIf(skipWithoutHelm())('chart', () => {
  test('chart - default values: namespaced Role only, secure pod, golden output', async () => {
    const manifests = await render('default.yaml');
    expect(kinds(manifests).sort()).toEqual(['Deployment/west', 'Role/west', 'RoleBinding/west', 'ServiceAccount/west']);
    const sa = manifests.find((m) => m.kind === 'ServiceAccount');
    expect(sa?.['automountServiceAccountToken']).toBe(false);

    const pod = podSpec(manifests);
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    const [container] = pod.containers;
    expect(container?.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    for (const part of ['requests', 'limits'] as const) {
      expect(Object.keys(container?.resources[part] ?? {}).sort()).toEqual(['cpu', 'memory']);
    }
    // Unset means the controller's own namespace (ADR 0004).
    expect(container?.env.map((e) => e.name)).not.toContain('SKIFF_WATCH_NAMESPACES');
  });

  test('chart - the controller Role holds every rule it grants the router (RBAC forbids granting more)', async () => {
    const result = await template([]);
    const role = parseAllDocuments(result.stdout)
      .map((d) => d.toJS() as Manifest & { rules?: Rule[] })
      .find((m) => m.kind === 'Role');
    const held = new Set(triples(role?.rules ?? []));
    expect(triples(ADAPTOR_RULES).filter((t) => !held.has(t))).toEqual([]);
  });

  test('chart - watchAllNamespaces: a ClusterRole and binding instead of Roles', async () => {
    const manifests = await render('watch-all-namespaces.yaml', ['watchAllNamespaces=true']);
    expect(kinds(manifests).sort()).toEqual(['ClusterRole/', 'ClusterRoleBinding/', 'Deployment/west', 'ServiceAccount/west']);
    const env = podSpec(manifests).containers[0]?.env ?? [];
    expect(env.find((e) => e.name === 'SKIFF_WATCH_NAMESPACES')?.value).toBe('*');
  });

  test('chart - watchNamespaces: a Role and binding in each listed namespace and the release namespace', async () => {
    const result = await template(['watchNamespaces={east,west,north}']);
    expect(result.code).toBe(0);
    const rendered = parseAllDocuments(result.stdout).map((d) => d.toJS() as Manifest);
    const roles = rendered.filter((m) => m.kind === 'Role' || m.kind === 'RoleBinding').map((m) => `${m.kind}/${m.metadata.namespace}`);
    expect(roles.sort()).toEqual(['Role/east', 'Role/north', 'Role/west', 'RoleBinding/east', 'RoleBinding/north', 'RoleBinding/west']);
    expect(rendered.some((m) => m.kind.startsWith('Cluster'))).toBe(false);
    expect(podSpec(rendered).containers[0]?.env.find((e) => e.name === 'SKIFF_WATCH_NAMESPACES')?.value).toBe('east,west,north');
  });

  test('chart - values.schema.json refuses an unknown or mistyped value, naming it', async () => {
    const unknown = await template(['replica=2']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("additional properties 'replica' not allowed");
    const mistyped = await template(['watchAllNamespaces=yes']);
    expect(mistyped.code).not.toBe(0);
    expect(mistyped.stderr).toMatch(/watchAllNamespaces.*want boolean/);
    const lint = await helm(['lint', CHART, '--set', 'image.tags=1']);
    expect(lint.code).not.toBe(0);
    expect(lint.stdout + lint.stderr).toContain("additional properties 'tags' not allowed");
  });

  test('chart - helm lint --strict is clean', async () => {
    const result = await helm(['lint', '--strict', CHART]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
  });
});

describe('chart metadata', () => {
  test('chart metadata - appVersion is the package version (the default image tag)', () => {
    const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { appVersion: string };
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(chart.appVersion).toBe(pkg.version);
  });
});

describe('chart values', () => {
  const lines = readFileSync(join(CHART, 'values.yaml'), 'utf8').split('\n');

  test('chart values - every key has a comment on the line above, at its indentation', () => {
    const undocumented: string[] = [];
    lines.forEach((line, i) => {
      const key = /^(\s*)([A-Za-z][\w.-]*):/.exec(line);
      if (!key) return;
      const above = lines[i - 1] ?? '';
      if (!above.startsWith(`${key[1] ?? ''}#`)) undocumented.push(`line ${i + 1}: ${key[2]}`);
    });
    expect(undocumented).toEqual([]);
  });

  test('chart values - values.schema.json describes exactly the top-level keys of values.yaml', () => {
    const keys = lines.map((l) => /^([A-Za-z][\w.-]*):/.exec(l)?.[1]).filter((k): k is string => k !== undefined);
    const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties).sort()).toEqual(keys.sort());
  });
});
