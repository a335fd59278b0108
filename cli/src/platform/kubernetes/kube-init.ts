/**
 * `skiff init` on Kubernetes: creates the namespace's Site and waits, with progress on stderr,
 * until the controller says it is ready. It never does the controller's work: when no controller
 * takes the Site it says how to install one (cli/README.md, "Kubernetes").
 */
import { API_VERSION, type Site } from '../../../../common/src/kube-api/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { emit } from '../../output.js';
import type { KubeClient } from './kube-client.js';
import { cliLabels, findSite, kubeClient } from './kube-site.js';
import { noControllerYet, taken } from './no-controller.js';
import { endpointLines, siteItems } from './site-readiness.js';
import { siteJson } from './site-json.js';
import { formatSeconds, waitFor } from './wait.js';

export interface KubeInitOptions {
  siteName?: string;
  enableLinkAccess?: boolean;
  linkAccessType?: string;
  routerMode: 'interior' | 'edge';
  wait: boolean;
  timeout: number;
}

export async function kubeInit(deps: CliDeps, global: GlobalOptions, options: KubeInitOptions): Promise<void> {
  const client = kubeClient(deps, global);
  const { namespace } = client;
  const name = options.siteName ?? namespace;
  const existing = await findSite(client);
  if (existing !== undefined) {
    throw new CliError(ErrorCode.SKIFF_ERR_SITE_EXISTS, `namespace ${namespace} already has Site "${existing.metadata.name}"`, `see it with 'skiff status -n ${namespace}', or remove it with 'skiff delete -n ${namespace}' first`);
  }
  const linkAccess = options.linkAccessType ?? (options.enableLinkAccess === true ? 'default' : undefined);
  const body: Site = {
    apiVersion: API_VERSION,
    kind: 'Site',
    metadata: { name, labels: { ...cliLabels } },
    spec: { ...(linkAccess === undefined ? {} : { linkAccess }), ...(options.routerMode === 'edge' ? { edge: true } : {}) },
  };
  const created = await client.create('Site', body, () => new CliError(ErrorCode.SKIFF_ERR_SITE_EXISTS, `Site "${name}" already exists in namespace ${namespace}`, `skiff delete -n ${namespace} first`));
  if (!options.wait) {
    emit(deps, global, {
      text: [`Site "${name}" created in namespace ${namespace}; the controller makes it ready. Use 'skiff status -n ${namespace}' to follow it.`],
      json: siteJson(created, namespace, []),
    });
    return;
  }
  const waited = siteItems(created).map((i) => i.label);
  const started = Date.now();
  const site = await waitForSite(client, name, options.timeout, deps.err);
  emit(deps, global, {
    text: [`Waited ${formatSeconds(Date.now() - started)} for: ${waited.join(', ')}.`, `Site "${name}" is ready.`, ...endpointLines(site).map((e, i) => `${i === 0 ? 'Endpoints: ' : '           '}${e}`)],
    json: siteJson(site, namespace, waited),
  });
}

async function waitForSite(client: KubeClient, name: string, timeoutMs: number, progress: (line: string) => void): Promise<Site> {
  const { namespace } = client;
  return waitFor({
    subject: `Site "${name}" in namespace ${namespace}`,
    timeoutMs,
    progress,
    hint: `follow it with 'skiff status -n ${namespace}'; 'skiff debug dump FILE -n ${namespace}' collects what explains it`,
    check: async () => {
      const site = await client.get<Site>('Site', name);
      if (site === undefined) throw new CliError(ErrorCode.SKIFF_ERR_SITE_NOT_FOUND, `Site "${name}" was deleted while init waited for it`, `run 'skiff init -n ${namespace}' again`);
      return { value: site, items: siteItems(site) };
    },
    giveUp: ({ value }, elapsed) => noControllerYet(`Site "${name}"`, namespace, taken(value.status), elapsed, timeoutMs),
  });
}
