/**
 * `skiff version` on Kubernetes: the client's version and the controller's, as the namespace's
 * Site reports it (status.controller). The client version prints even when the cluster cannot be
 * asked; the reason stands in for the controller's.
 */
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError } from '../../errors.js';
import { packageVersion } from '../../../../common/src/package-version.js';
import { emit } from '../../output.js';
import { findSite, kubeClient } from './kube-site.js';

export async function kubeVersion(deps: CliDeps, global: GlobalOptions): Promise<void> {
  const client = packageVersion();
  const { controller, unknown } = await controllerVersion(deps, global);
  emit(deps, global, {
    text: [`${'client version'.padEnd(30)}${client}`, `${'controller version'.padEnd(30)}${controller?.version ?? `unknown (${unknown})`}`],
    json: { client, controller: controller ?? null },
  });
}

interface ControllerAnswer {
  controller?: { name: string; namespace: string; version: string };
  unknown?: string;
}

async function controllerVersion(deps: CliDeps, global: GlobalOptions): Promise<ControllerAnswer> {
  try {
    const kube = kubeClient(deps, global);
    const site = await findSite(kube);
    if (site === undefined) return { unknown: `no Site in namespace ${kube.namespace}` };
    const controller = site.status?.controller;
    return controller === undefined ? { unknown: `no controller has taken Site "${site.metadata.name}"` } : { controller };
  } catch (error) {
    if (error instanceof CliError) return { unknown: `${error.message} [${error.code}]` };
    throw error;
  }
}
