/** `skiff link`: the group of link subcommands. */
import { Command } from 'commander';
import { parseSeconds } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { isKubernetes } from '../../platform/kubernetes/link-create.js';
import { refuseOptions } from '../../platform/kubernetes/platform-options.js';
import { makeLinkCreateCommand } from './create.js';
import { makeLinkDeleteCommand } from './delete.js';
import { makeLinkStatusCommand } from './status.js';

export function makeLinkCommand(deps: CliDeps): Command {
  return new Command('link')
    .description('link this site to others with tokens')
    .addCommand(withKubernetesWait(deps, makeLinkCreateCommand(deps)))
    .addCommand(makeLinkDeleteCommand(deps))
    .addCommand(makeLinkStatusCommand(deps));
}

/** `link create --wait S`: Kubernetes only (a local link is made by the time the command returns). */
function withKubernetesWait(deps: CliDeps, create: Command): Command {
  return create
    .option('--wait <seconds>', 'Kubernetes: wait up to this long for the link to be operational', parseSeconds, 0)
    .addHelpText('after', '  skiff link create west.token -n east --wait 60')
    .hook('preAction', (command) => {
      if (!isKubernetes(deps, command)) refuseOptions(command, 'local', ['wait']);
    });
}
