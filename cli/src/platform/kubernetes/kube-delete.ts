/**
 * `skiff delete` on Kubernetes: deletes the Site (owner references garbage-collect what the
 * controller made for it), the namespace's AccessGrants, AccessTokens and Links (what a redemption
 * made goes with its AccessToken) and the Secrets the CLI made; with --all every skupper.io object.
 * Then it waits until nothing of Skiff's is left but what Helm installed.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { API_VERSION, GROUP, Plural, type Kind } from '../../../../common/src/kube-api/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { emit } from '../../output.js';
import type { KubeClient, ListedKind } from './kube-client.js';
import { CLI_SELECTOR, findSite, kubeClient, noSite, SITE_OBJECTS_SELECTOR } from './kube-site.js';
import { formatSeconds, waitFor } from './wait.js';

/**
 * Deleted with the Site, whoever made them: they serve only the namespace's one Site, and the
 * Secrets and Links a redemption made are owned by their AccessToken, not by the Site.
 */
const LINK_KINDS: readonly Kind[] = ['AccessGrant', 'AccessToken', 'Link'];

/** What `--all` deletes besides. */
const ALL_KINDS: readonly Kind[] = [...LINK_KINDS, 'RouterAccess', 'Listener', 'Connector'];

/** Where Skiff's objects may be left (the CRs and what the controller makes of them). */
export const SITE_OBJECT_KINDS: readonly ListedKind[] = [
  ...(['Site', ...LINK_KINDS, 'RouterAccess'] as const).map((kind) => ({ apiVersion: API_VERSION, kind, resource: `${Plural[kind]}.${GROUP}` })),
  { apiVersion: 'apps/v1', kind: 'Deployment', resource: 'deployments.apps' },
  { apiVersion: 'v1', kind: 'Pod', resource: 'pods' },
  { apiVersion: 'v1', kind: 'Service', resource: 'services' },
  { apiVersion: 'v1', kind: 'ConfigMap', resource: 'configmaps' },
  { apiVersion: 'v1', kind: 'Secret', resource: 'secrets' },
  { apiVersion: 'v1', kind: 'ServiceAccount', resource: 'serviceaccounts' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', resource: 'roles.rbac.authorization.k8s.io' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', resource: 'rolebindings.rbac.authorization.k8s.io' },
];

export interface KubeDeleteOptions {
  wait: boolean;
  timeout: number;
  /** Every skupper.io object of the namespace, not only the Site and what the CLI made (Skupper's `site delete --all`). */
  all?: boolean;
}

export async function kubeDelete(deps: CliDeps, global: GlobalOptions, options: KubeDeleteOptions): Promise<void> {
  const client = kubeClient(deps, global);
  const { namespace } = client;
  const site = await findSite(client);
  const made = await deletable(client, options.all === true);
  if (site === undefined && made.length === 0) throw noSite(namespace);
  if (site !== undefined) await client.delete('Site', site.metadata.name);
  for (const object of made) await client.delete(object.kind, object.name);
  const secrets = await client.listAny({ apiVersion: 'v1', kind: 'Secret', resource: 'secrets' }, CLI_SELECTOR);
  for (const secret of secrets) {
    const name = secret.metadata?.name ?? '';
    await client.call({ verb: 'delete', resource: 'secrets', namespace, name }, () => client.core.deleteNamespacedSecret({ name, namespace }));
  }
  const siteName = site?.metadata.name ?? namespace;
  const started = Date.now();
  if (options.wait) await waitUntilGone(client, options.timeout, deps.err);
  emit(deps, global, {
    text: [`Site "${siteName}" is now removed from namespace ${namespace}${options.wait ? ` (nothing of Skiff's left after ${formatSeconds(Date.now() - started)})` : '; its objects are being garbage-collected'}.`],
    json: { site: siteName, namespace, deleted: true, waited: options.wait },
  });
}

async function deletable(client: KubeClient, all: boolean): Promise<{ kind: Kind; name: string }[]> {
  const found: { kind: Kind; name: string }[] = [];
  for (const kind of all ? ALL_KINDS : LINK_KINDS) for (const object of await client.list(kind)) found.push({ kind, name: object.metadata.name });
  return found;
}

async function waitUntilGone(client: KubeClient, timeoutMs: number, progress: (line: string) => void): Promise<void> {
  await waitFor({
    subject: `deleting the site in namespace ${client.namespace}`,
    timeoutMs,
    progress,
    hint: `list what is left with 'kubectl get all,secrets,configmaps -n ${client.namespace} -l ${SITE_OBJECTS_SELECTOR}'; an object with a finalizer waits for its controller`,
    check: async () => {
      const left = await leftObjects(client);
      return { value: undefined, items: left.length === 0 ? [] : [{ label: `${left.length} object(s) to go`, done: false, why: left.slice(0, 8).join(', ') }] };
    },
  });
}

/** `Kind/name` of everything of Skiff's left in the namespace. */
export async function leftObjects(client: KubeClient): Promise<string[]> {
  const left: string[] = [];
  for (const kind of SITE_OBJECT_KINDS) {
    const objects: KubernetesObject[] = await client.listAny(kind, SITE_OBJECTS_SELECTOR);
    for (const o of objects) left.push(`${kind.kind}/${o.metadata?.name ?? '?'}`);
  }
  return left;
}
