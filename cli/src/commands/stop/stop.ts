/** `skiff stop`: stops the site's router; its state stays for `skiff start`. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { emit } from '../../output.js';
import { openSite } from '../../site/site-store.js';
import { siteSummary } from '../status/site-summary.js';

export function makeStopCommand(deps: CliDeps): Command {
  return new Command('stop')
    .description("stop the site's router, keeping the site")
    .addHelpText('after', '\nExamples:\n  skiff stop --site west')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      const site = openSite(deps, global);
      const stopped = await deps.platform.stop(site);
      emit(deps, global, {
        text: [stopped ? `Site '${site.state.name}' is stopped.` : `Site '${site.state.name}' was not running.`],
        json: siteSummary(site, false),
      });
    });
}
