/**
 * `skiff token create FILE` on Kubernetes: makes an AccessGrant on the namespace's Site (which must
 * be Ready and reachable by other sites), waits for the controller to fill in its url, code and CA,
 * and writes them as an AccessToken file, as Skupper's `token issue` does.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { accessTokenYaml } from '../../../../common/src/tokens/access-token.js';
import { API_VERSION, ConditionType, type AccessGrant, type Site } from '../../../../common/src/kube-api/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, ErrorCode, usage } from '../../errors.js';
import { emit } from '../../output.js';
import { conditionItem, messageOf, statusOf } from './conditions.js';
import { goDuration } from './go-duration.js';
import type { KubeClient } from './kube-client.js';
import { cliLabels, kubeClient, requireSite } from './kube-site.js';
import { noControllerYet, taken } from './no-controller.js';
import { hasLinkAccess } from './site-readiness.js';
import { waitFor } from './wait.js';

export interface KubeTokenOptions {
  name?: string;
  /** Milliseconds. */
  expiry: number;
  uses: number;
  timeout: number;
}

interface ReadyGrant {
  url: string;
  code: string;
  ca: string;
}

export async function kubeTokenCreate(deps: CliDeps, global: GlobalOptions, file: string, options: KubeTokenOptions): Promise<void> {
  const client = kubeClient(deps, global);
  const { namespace } = client;
  const site = await requireSite(client);
  requireLinkable(site, namespace);
  const name = options.name ?? `${site.metadata.name}-${randomUUID()}`;
  const expiration = goDuration(options.expiry);
  const body: AccessGrant = {
    apiVersion: API_VERSION,
    kind: 'AccessGrant',
    metadata: { name, labels: { ...cliLabels } },
    spec: { redemptionsAllowed: options.uses, expirationWindow: expiration },
  };
  await client.create('AccessGrant', body, () => usage(`an AccessGrant named "${name}" already exists in namespace ${namespace}`, 'choose another --name'));
  const grant = await waitForGrant(client, name, options.timeout, deps.err);
  try {
    // The file holds the code that redeems the grant: readable by its owner only.
    writeFileSync(file, accessTokenYaml({ name, spec: grant }), { mode: 0o600 });
  } catch (error) {
    throw new CliError(ErrorCode.SKIFF_ERR_FILE, `cannot write ${file}: ${(error as Error).message}`, 'choose a writable path', { cause: error });
  }
  emit(deps, global, {
    text: [
      `Grant "${name}" is ready`,
      `Token file ${file} created`,
      '',
      'Transfer this file to a remote site. At the remote site, create a link to this site with',
      `    skiff link create ${file}`,
      '',
      `The token expires after ${options.uses} use(s) or after ${expiration}.`,
    ],
    json: { file, tokenType: 'access-token', name, site: site.metadata.name, namespace, url: grant.url, redemptionsAllowed: options.uses, expirationWindow: expiration },
  });
}

function requireLinkable(site: Site, namespace: string): void {
  const name = site.metadata.name;
  if (!hasLinkAccess(site) || site.spec?.edge === true) {
    throw new CliError(ErrorCode.SKIFF_ERR_NO_INGRESS, `Site "${name}" in namespace ${namespace} cannot accept links (${site.spec?.edge === true ? 'edge router' : 'no link access'})`, `make it with link access: 'skiff delete -n ${namespace}', then 'skiff init -n ${namespace} --enable-link-access'`);
  }
  if (statusOf(site.status) !== 'Ready' || (site.status?.endpoints ?? []).length === 0) {
    throw new CliError(ErrorCode.SKIFF_ERR_SITE_NOT_READY, `Site "${name}" in namespace ${namespace} is not ready (${statusOf(site.status)}: ${messageOf(site.status) || 'no endpoints yet'})`, `wait for it: 'skiff status -n ${namespace}'`);
  }
}

async function waitForGrant(client: KubeClient, name: string, timeoutMs: number, progress: (line: string) => void): Promise<ReadyGrant> {
  const { namespace } = client;
  return waitFor({
    subject: `AccessGrant "${name}" in namespace ${namespace}`,
    timeoutMs,
    progress,
    hint: `see its conditions: 'kubectl get accessgrant ${name} -n ${namespace} -o yaml'`,
    check: async () => {
      const grant = await client.get<AccessGrant>('AccessGrant', name);
      const status = grant?.status;
      const ready = status?.url && status.code && status.ca ? { url: status.url, code: status.code, ca: status.ca } : undefined;
      const item = { ...conditionItem(status, ConditionType.Resolved, 'grant url, code and CA'), done: ready !== undefined };
      return { value: { ready, status }, items: [item] };
    },
    giveUp: ({ value }, elapsed) => noControllerYet(`AccessGrant "${name}"`, namespace, taken(value.status), elapsed, timeoutMs),
  }).then(({ ready }) => ready as ReadyGrant);
}
