/**
 * `skiff link create FILE` on Kubernetes (called by commands/link/create.ts): turns the token file
 * into the objects of token-objects.ts and, with `--wait S`, waits for the AccessToken to be
 * redeemed and its Links (or the Link) to be Operational, with progress on stderr.
 */
import type { Command } from 'commander';
import { ApiException } from '@kubernetes/client-node';
import { ConditionType, type AccessToken, type Link } from '../../../../common/src/kube-api/types.js';
import type { CliDeps } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { emit } from '../../output.js';
import { readTokenFile } from '../../tokens/token-file.js';
import { conditionItem, messageOf } from './conditions.js';
import type { KubeClient } from './kube-client.js';
import { kubeError } from './kube-errors.js';
import { kubeClient, requireSite } from './kube-site.js';
import { linkItem } from './link-view.js';
import { noControllerYet, taken } from './no-controller.js';
import { platformOf } from './platform-choice.js';
import { issuingSite, linkObjects, type LinkObjects } from './token-objects.js';
import { waitFor, type WaitItem } from './wait.js';

interface Options {
  name?: string;
  cost?: number;
  /** Seconds; 0 = do not wait. */
  wait?: number;
}

/** Whether `command` runs on a Kubernetes site. */
export function isKubernetes(deps: CliDeps, command: Command): boolean {
  return platformOf(deps, globalOptions(command)) === 'kubernetes';
}

export async function kubeLinkCreate(deps: CliDeps, command: Command, file: string): Promise<void> {
  const global = globalOptions(command);
  const options = command.opts<Options>();
  const token = readTokenFile(file);
  const client = kubeClient(deps, global);
  const { namespace } = client;
  const site = await requireSite(client);
  if (issuingSite(token) === site.metadata.uid) throw new CliError(ErrorCode.SKIFF_ERR_LINK_SELF, `the token was issued by Site "${site.metadata.name}" itself`, 'use a token issued by another site');
  const links = await client.list<Link>('Link');
  const objects = linkObjects(token, { ...pick(options), nextLinkName: nextLinkName(links) });
  const name = await createObjects(client, objects);
  const waitMs = (options.wait ?? 0) * 1000;
  const operational = waitMs > 0 ? await waitForLinks(client, objects.kind, name, waitMs, deps.err) : [];
  emit(deps, global, {
    text: [
      `Site configured to link to ${objects.url} (name=${name})`,
      ...(waitMs > 0 ? operational.map((l) => `Link ${l} is operational`) : [`Check the status of the link using 'skiff link status -n ${namespace}'.`]),
    ],
    json: { site: site.metadata.name, namespace, link: name, kind: objects.kind, url: objects.url, cost: options.cost ?? null, operationalLinks: operational },
  });
}

function pick(options: Options): { name?: string; cost?: number } {
  return { ...(options.name === undefined ? {} : { name: options.name }), ...(options.cost === undefined ? {} : { cost: options.cost }) };
}

async function createObjects(client: KubeClient, objects: LinkObjects): Promise<string> {
  const exists = (name: string) => () => new CliError(ErrorCode.SKIFF_ERR_LINK_EXISTS, `a link or token named "${name}" already exists in namespace ${client.namespace}`, `remove it with 'skiff link delete ${name}', or choose another --name`);
  if (objects.kind === 'AccessToken') {
    const name = objects.accessToken.metadata.name;
    await client.create('AccessToken', objects.accessToken, exists(name));
    return name;
  }
  const { secret, link } = objects;
  const name = link.metadata.name;
  const { namespace } = client;
  try {
    await client.core.createNamespacedSecret({ namespace, body: secret });
  } catch (error) {
    if (error instanceof ApiException && error.code === 409) throw exists(name)();
    throw kubeError(error, { verb: 'create', resource: 'secrets', namespace, name }, client.target.server);
  }
  await client.create('Link', link, exists(name));
  return name;
}

/** Waits for the Link, or for the AccessToken's redemption and the Links it made; returns their names. */
async function waitForLinks(client: KubeClient, kind: LinkObjects['kind'], name: string, timeoutMs: number, progress: (line: string) => void): Promise<string[]> {
  const { namespace } = client;
  return waitFor({
    subject: `${kind} "${name}" in namespace ${namespace}`,
    timeoutMs,
    progress,
    hint: `follow it with 'skiff link status -n ${namespace}'`,
    check: async () => {
      const links = await client.list<Link>('Link');
      if (kind === 'Link') {
        const link = links.find((l) => l.metadata.name === name);
        return { value: { names: [name], taken: taken(link?.status) }, items: [link === undefined ? { label: `Link ${name} operational`, done: false, why: 'deleted' } : linkItem(link)] };
      }
      const token = await client.get<AccessToken>('AccessToken', name);
      if (token?.status?.status === 'Error') throw redeemFailed(name, messageOf(token.status));
      const made = links.filter((l) => l.metadata.ownerReferences?.some((o) => o.uid === token?.metadata.uid));
      const items: WaitItem[] = [conditionItem(token?.status, ConditionType.Redeemed, `AccessToken ${name} redeemed`), ...(made.length === 0 ? [{ label: 'its Link', done: false }] : made.map(linkItem))];
      return { value: { names: made.map((l) => l.metadata.name), taken: taken(token?.status) }, items };
    },
    giveUp: ({ value }, elapsed) => noControllerYet(`${kind} "${name}"`, namespace, value.taken, elapsed, timeoutMs),
  }).then((v) => v.names);
}

function redeemFailed(name: string, message: string): CliError {
  return new CliError(ErrorCode.SKIFF_ERR_CLAIM_REDEEM, `AccessToken "${name}" was not redeemed: ${message}`, "ask the other site for a new token ('skiff token create FILE')");
}

function nextLinkName(links: readonly Link[]): string {
  for (let i = 1; ; i++) if (!links.some((l) => l.metadata.name === `link${i}`)) return `link${i}`;
}
