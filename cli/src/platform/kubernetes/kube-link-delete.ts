/**
 * `skiff link delete NAME` on Kubernetes. A Link made by redeeming an AccessToken goes with its
 * token (which owns the Link and its Secret, so garbage collection removes both); a Link the CLI
 * made from a cert token goes with the Secret the CLI made for it.
 */
import { ApiException } from '@kubernetes/client-node';
import type { AccessToken, Link } from '../../../../common/src/kube-api/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { emit } from '../../output.js';
import { kubeError } from './kube-errors.js';
import { CLI_MANAGER, kubeClient, requireSite } from './kube-site.js';
import { Label } from '../../../../common/src/kube-api/names.js';

export async function kubeLinkDelete(deps: CliDeps, global: GlobalOptions, name: string): Promise<void> {
  const client = kubeClient(deps, global);
  const { namespace } = client;
  const site = await requireSite(client);
  const link = await client.get<Link>('Link', name);
  const token = await client.get<AccessToken>('AccessToken', name);
  const owner = link?.metadata.ownerReferences?.find((o) => o.kind === 'AccessToken');
  if (link === undefined && token === undefined) {
    const names = (await client.list<Link>('Link')).map((l) => l.metadata.name);
    throw new CliError(ErrorCode.SKIFF_ERR_LINK_NOT_FOUND, `no Link named "${name}" in namespace ${namespace}`, names.length === 0 ? 'this site has no links' : `links: ${names.join(', ')}`);
  }
  if (owner !== undefined) await client.delete('AccessToken', owner.name);
  if (token !== undefined) await client.delete('AccessToken', name);
  if (link !== undefined) await client.delete('Link', name);
  const secret = link?.spec?.tlsCredentials;
  if (owner === undefined && secret !== undefined) await deleteCliSecret(client, secret);
  emit(deps, global, { text: [`Link '${name}' has been removed`], json: { site: site.metadata.name, namespace, link: name, deleted: true } });
}

/** The link's Secret, when the CLI made it (never one the user or a redemption made). */
async function deleteCliSecret(client: ReturnType<typeof kubeClient>, name: string): Promise<void> {
  const { namespace } = client;
  try {
    const secret = await client.core.readNamespacedSecret({ name, namespace });
    if (secret.metadata?.labels?.[Label.managedBy] === CLI_MANAGER) await client.core.deleteNamespacedSecret({ name, namespace });
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return;
    throw kubeError(error, { verb: 'delete', resource: 'secrets', namespace, name }, client.target.server);
  }
}
