/** `skiff version`: the CLI's and the router's version (one package, one version). */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { skiffVersion } from '../../install-root.js';
import { emit } from '../../output.js';

export function makeVersionCommand(deps: CliDeps): Command {
  return new Command('version')
    .description('print the client and router versions')
    .addHelpText('after', '\nExamples:\n  skiff version\n  skiff version -o json')
    .action((_options: unknown, command: Command) => {
      const version = skiffVersion();
      emit(deps, globalOptions(command), {
        text: [`${'client version'.padEnd(30)}${version}`, `${'router version'.padEnd(30)}${version}`],
        json: { client: version, router: version },
      });
    });
}
