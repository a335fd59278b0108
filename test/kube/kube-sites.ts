/**
 * Steps the Kubernetes end-to-end tests share: a namespace with the chart installed by a user who
 * holds only a Role there, `skiff` pointed at it, objects and their conditions read as an admin.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import type { Testbed } from '../testbed/src/testbed.js';
import { REPO_ROOT } from '../testbed/src/paths.js';
import { getJson, helm, kubectl, waitFor } from '../testbed/helpers.js';
import type { SkiffUser } from './skiff-binary.js';

const CRDS = join(REPO_ROOT, 'charts', 'skiff', 'crds');
const CHART = join(REPO_ROOT, 'charts', 'skiff');

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

export interface Resource {
  metadata: { name: string; uid: string; generation?: number; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: { status?: string; message?: string; conditions?: Condition[]; endpoints?: { name?: string; host?: string; port?: string }[]; [k: string]: unknown };
}

/** Cluster, namespace and the kubeconfig of a user who holds only a Role there. */
export interface SiteEnv {
  cluster: string;
  ns: string;
  kubeconfig: string;
  admin: string;
}

/** `skiff` arguments for a Kubernetes site, as its namespace's user. */
export function skiffIn(site: SiteEnv, ...args: string[]): string[] {
  return [...args, '--kubeconfig', site.kubeconfig, '-n', site.ns];
}

/** Skiff's CRDs in every cluster (as a cluster admin would install them, once). */
export async function installCrds(tb: Testbed): Promise<void> {
  for (const c of tb.clusters) {
    const crds = await kubectl(c.kubeconfig, ['apply', '-f', CRDS]);
    expect(crds.code, crds.stderr).toBe(0);
  }
}

export async function installChart(tb: Testbed, cluster: string, ns: string): Promise<SiteEnv> {
  const c = tb.cluster(cluster);
  const kubeconfig = await tb.namespacedUser(cluster, { user: `site-admin-${ns}`, namespace: ns });
  const result = await helm(kubeconfig, ['install', 'skiff', CHART, '-n', ns, '--skip-crds']);
  expect(result.code, result.stderr).toBe(0);
  return { cluster, ns, kubeconfig, admin: c.kubeconfig };
}

export async function resource(site: SiteEnv, kind: string, name: string): Promise<Resource> {
  return getJson<Resource>(site.admin, [kind, name, '-n', site.ns]);
}

export function condition(r: Resource, type: string): Condition | undefined {
  return r.status?.conditions?.find((c) => c.type === type);
}

export async function untilCondition(site: SiteEnv, kind: string, name: string, type: string, status: 'True' | 'False', deadlineMs = 120_000): Promise<Resource> {
  let last: Resource | undefined;
  try {
    await waitFor(`${kind}/${name} in ${site.ns} to have ${type}=${status}`, async () => {
      last = await resource(site, kind, name).catch(() => undefined);
      return last !== undefined && condition(last, type)?.status === status;
    }, deadlineMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}; last status: ${JSON.stringify(last?.status)}`);
  }
  return last as Resource;
}

/** kubectl apply of one object in the site's namespace, as its user. */
export async function applyYaml(site: SiteEnv, doc: object): Promise<void> {
  const result = await kubectl(site.kubeconfig, ['apply', '-n', site.ns, '-f', '-'], stringify(doc));
  expect(result.code, result.stderr).toBe(0);
}

/** The test bed's client image, run in a client pod with `tb.exec` (`get URL N`, `tcp HOST PORT MSG`). */
export const CLIENT = join(REPO_ROOT, 'dist', 'test', 'testbed', 'src', 'images', 'client.js');

/** GETs from the site's `client` pod; one line per reply (a pod name, or `ERR …`). */
export async function getFrom(tb: Testbed, site: SiteEnv, url: string, count = 1): Promise<string[]> {
  const result = await tb.exec(site.cluster, site.ns, 'client', ['node', CLIENT, 'get', url, String(count)]);
  return result.stdout.trim().split('\n');
}

/** Seconds since `since`, for the figures an e2e test prints. */
export function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Labels of a site's router pods. */
export const ROUTER_PODS = 'app.kubernetes.io/name=skupper-router,skupper.io/component=router';

/** An object as `kubectl get -o json` gives it, with the fields the tests read. */
export interface KubeObject {
  metadata: { name: string; uid: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string }[] };
  spec?: Record<string, unknown> & { port?: number; routingKey?: string; clusterIP?: string; selector?: unknown; ports?: unknown };
}

/** The object, or undefined when it does not exist. */
export async function find(site: SiteEnv, kind: string, name: string): Promise<KubeObject | undefined> {
  const result = await kubectl(site.admin, ['get', kind, name, '-n', site.ns, '--ignore-not-found', '-o', 'json']);
  if (result.code !== 0) throw new Error(`kubectl get ${kind} ${name}: ${result.stderr}`);
  return result.stdout.trim() === '' ? undefined : (JSON.parse(result.stdout) as KubeObject);
}

export async function untilGone(site: SiteEnv, kind: string, name: string, deadlineMs = 60_000): Promise<void> {
  await waitFor(`${kind} ${name} gone from ${site.cluster}`, async () => (await find(site, kind, name)) === undefined, deadlineMs);
}

/** Links `from` to `to` with a token of `to`'s (`skiff token create`, `skiff link create`) and waits until it is Operational. */
export async function linkSites(user: SkiffUser, from: SiteEnv, to: SiteEnv, linkName = `to-${to.ns}`): Promise<void> {
  const token = join(user.home, `${to.ns}-for-${from.ns}.token.yaml`);
  await user.ok(skiffIn(to, 'token', 'create', token));
  await user.ok(skiffIn(from, 'link', 'create', token, '--name', linkName));
  await untilCondition(from, 'link', linkName, 'Operational', 'True', 120_000);
}
