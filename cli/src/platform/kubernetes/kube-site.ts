/**
 * The Site of a namespace (one per namespace, as in Skupper v2) and the labels the CLI puts on
 * what it creates, so `skiff delete` can find it again.
 */
import { Label, PART_OF } from '../../../../common/src/kube-api/names.js';
import type { Site } from '../../../../common/src/kube-api/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { KubeClient } from './kube-client.js';
import { kubeTarget } from './kube-target.js';

/** `app.kubernetes.io/managed-by` of the objects the CLI creates (the controller's say skiff-site-controller). */
export const CLI_MANAGER = 'skiff-cli';

export const cliLabels: Readonly<Record<string, string>> = { [Label.partOf]: PART_OF, [Label.managedBy]: CLI_MANAGER };

export const CLI_SELECTOR = `${Label.managedBy}=${CLI_MANAGER}`;

/**
 * Everything of Skiff's in a namespace but what Helm installed (the controller itself carries
 * part-of=skiff too): what `skiff delete` waits to see gone.
 */
export const SITE_OBJECTS_SELECTOR = `${Label.partOf}=${PART_OF},${Label.managedBy}!=Helm`;

export function kubeClient(deps: CliDeps, global: GlobalOptions): KubeClient {
  return new KubeClient(kubeTarget(deps, global));
}

export async function findSite(client: KubeClient): Promise<Site | undefined> {
  const sites = await client.list<Site>('Site');
  return sites.find((s) => s.metadata.deletionTimestamp === undefined) ?? sites[0];
}

export async function requireSite(client: KubeClient): Promise<Site> {
  const site = await findSite(client);
  if (site === undefined) throw noSite(client.namespace);
  return site;
}

export function noSite(namespace: string): CliError {
  return new CliError(ErrorCode.SKIFF_ERR_SITE_NOT_FOUND, `no Site in namespace ${namespace}`, `create one with 'skiff init -n ${namespace}'`);
}
