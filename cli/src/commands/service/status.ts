/**
 * `skiff service status`: every service this site knows (defined here or synced from another site),
 * the port it listens on here, where it comes from and the targets this site has for it.
 */
import { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { kubeServices } from '../../platform/kubernetes/kube-service-status.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';
import { emit } from '../../output.js';
import { openSite } from '../../site/site-store.js';
import type { KnownService } from '../../sync/service-catalog.js';
import { node, renderTree, type TreeNode } from '../../text-tree.js';
import { servicesOf } from './find-service.js';

export function makeServiceStatusCommand(deps: CliDeps): Command {
  return new Command('status')
    .description('list the services known on this site, local and synced')
    .addHelpText('after', '\nExamples:\n  skiff service status --site west\n  skiff service status -o json\n  skiff service status -n west')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      const { site, services } = platformOf(deps, global) === 'kubernetes' ? await kubeServices(deps, global) : localServices(deps, global);
      emit(deps, global, {
        text: services.length === 0 ? ['No services defined'] : ['Services exposed through Skiff:', ...renderTree(services.map(describe))],
        json: { site, services },
      });
    });
}

function localServices(deps: CliDeps, global: GlobalOptions): { site: string; services: KnownService[] } {
  const site = openSite(deps, global);
  return { site: site.state.name, services: servicesOf(site) };
}

function describe(service: KnownService): TreeNode {
  const targets = service.targets.map((t) => node(`${t.host}:${t.port}`));
  return node(`${service.address}:${service.port ?? 'not bound yet'} (${service.protocol})`, [
    node(`origin: ${service.origin === 'local' ? 'this site' : `site ${service.originSiteName}`}`),
    targets.length === 0 ? node('targets: none on this site') : node('targets:', targets),
  ]);
}
