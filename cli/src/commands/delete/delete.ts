/**
 * `skiff delete`: stops the router and removes the site with its certificates and links; on
 * Kubernetes, deletes the namespace's Site and what the CLI made, and waits until it is all gone.
 */
import { rmSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parseDuration } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { emit } from '../../output.js';
import { kubeDelete, type KubeDeleteOptions } from '../../platform/kubernetes/kube-delete.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';
import { refuseOptions } from '../../platform/kubernetes/platform-options.js';
import { openSite } from '../../site/site-store.js';

export function makeDeleteCommand(deps: CliDeps): Command {
  return new Command('delete')
    .description('stop the router and remove the site')
    .option('--wait', 'Kubernetes: wait until nothing of the site is left (the default)', true)
    .option('--no-wait', 'Kubernetes: return once the deletes are requested')
    .addOption(new Option('--timeout <duration>', 'Kubernetes: how long to wait').argParser(parseDuration).default(parseDuration('2m'), '2m'))
    .option('--all', 'Kubernetes: also RouterAccesses, Listeners and Connectors (Sites, Links, AccessTokens and AccessGrants always go)')
    .addHelpText('after', '\nExamples:\n  skiff delete --site west\n  skiff delete -n west --context c1\n  skiff delete -n west --all')
    .action(async (options: KubeDeleteOptions, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') return kubeDelete(deps, global, options);
      refuseOptions(command, 'local', ['wait', 'timeout', 'all']);
      const site = openSite(deps, global);
      await deps.platform.stop(site);
      rmSync(site.paths.dir, { recursive: true, force: true });
      emit(deps, global, { text: [`Site '${site.state.name}' is now removed.`], json: { site: site.state.name, deleted: true } });
    });
}
