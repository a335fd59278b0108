/** `skiff start`: runs a stopped site's router again with the same identity, ports and links. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { emit } from '../../output.js';
import { startSite } from '../../site/site-runtime.js';
import { openSite } from '../../site/site-store.js';
import { siteSummary } from '../status/site-summary.js';

export function makeStartCommand(deps: CliDeps): Command {
  return new Command('start')
    .description("start the site's router (nothing to do when it runs)")
    .addHelpText('after', '\nExamples:\n  skiff start --site west')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      const site = openSite(deps, global);
      const wasRunning = deps.platform.running(site) !== undefined;
      if (!wasRunning) await startSite(deps.platform, site);
      emit(deps, global, {
        text: [wasRunning ? `Site '${site.state.name}' is already running.` : `Site '${site.state.name}' is now running.`],
        json: siteSummary(site, true),
      });
    });
}
