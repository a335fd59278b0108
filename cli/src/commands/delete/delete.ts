/** `skiff delete`: stops the router and removes the site with its certificates and links. */
import { rmSync } from 'node:fs';
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { emit } from '../../output.js';
import { openSite } from '../../site/site-store.js';

export function makeDeleteCommand(deps: CliDeps): Command {
  return new Command('delete')
    .description('stop the router and remove the site')
    .addHelpText('after', '\nExamples:\n  skiff delete --site west')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      const site = openSite(deps, global);
      await deps.platform.stop(site);
      rmSync(site.paths.dir, { recursive: true, force: true });
      emit(deps, global, { text: [`Site '${site.state.name}' is now removed.`], json: { site: site.state.name, deleted: true } });
    });
}
