/** `skiff version`: the CLI's and the router's version (one package, one version); on Kubernetes the controller's. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { packageVersion } from '../../../../common/src/package-version.js';
import { emit } from '../../output.js';
import { kubeVersion } from '../../platform/kubernetes/kube-version.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';

export function makeVersionCommand(deps: CliDeps): Command {
  return new Command('version')
    .description('print the client and router versions')
    .addHelpText('after', '\nExamples:\n  skiff version\n  skiff version -o json\n  skiff version -n west')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') return kubeVersion(deps, global);
      const version = packageVersion();
      emit(deps, global, {
        text: [`${'client version'.padEnd(30)}${version}`, `${'router version'.padEnd(30)}${version}`],
        json: { client: version, router: version },
      });
    });
}
