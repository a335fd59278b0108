/**
 * `skiff service status`: every service this site knows (defined here or synced from another site),
 * the port it listens on here, where it comes from and the targets this site has for it.
 */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { emit } from '../../output.js';
import { openSite } from '../../site/site-store.js';
import type { KnownService } from '../../sync/service-catalog.js';
import { node, renderTree, type TreeNode } from '../../text-tree.js';
import { servicesOf } from './find-service.js';

export function makeServiceStatusCommand(deps: CliDeps): Command {
  return new Command('status')
    .description('list the services known on this site, local and synced')
    .addHelpText('after', '\nExamples:\n  skiff service status --site west\n  skiff service status -o json')
    .action((_options: unknown, command: Command) => {
      const global = globalOptions(command);
      const site = openSite(deps, global);
      const services = servicesOf(site);
      emit(deps, global, {
        text: services.length === 0 ? ['No services defined'] : ['Services exposed through Skiff:', ...renderTree(services.map(describe))],
        json: { site: site.state.name, services },
      });
    });
}

function describe(service: KnownService): TreeNode {
  const targets = service.targets.map((t) => node(`${t.host}:${t.port}`));
  return node(`${service.address}:${service.port ?? 'not bound yet'} (${service.protocol})`, [
    node(`origin: ${service.origin === 'local' ? 'this site' : `site ${service.originSiteName}`}`),
    targets.length === 0 ? node('targets: none on this site') : node('targets:', targets),
  ]);
}
