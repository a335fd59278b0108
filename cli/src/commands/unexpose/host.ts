/**
 * `skiff unexpose host HOST`: removes the targets on HOST (or only the one for --address); a service
 * defined here that has no target left goes too, and service sync withdraws it from the other sites.
 */
import { Command } from 'commander';
import { parseName } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { kubeUnexposeHost } from '../../platform/kubernetes/kube-unexpose.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';
import { emit } from '../../output.js';
import { applyChange } from '../../site/site-runtime.js';
import { openSite } from '../../site/site-store.js';
import { deleteTargets, dropUntargeted, removeTargets } from '../../site/service-targets.js';

export function makeUnexposeHostCommand(deps: CliDeps): Command {
  return new Command('host')
    .description('stop exposing a host')
    .argument('<host>', 'host name or IP given to expose')
    .option('--address <address>', 'only this address', parseName)
    .addHelpText('after', '\nExamples:\n  skiff unexpose host 127.0.0.1 --address hello --site east\n  skiff unexpose host db.example.com -n east')
    .action(async (host: string, options: { address?: string }, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') return kubeUnexposeHost(deps, global, host, options.address);
      const site = openSite(deps, global);
      const gone = site.state.exposed.filter((e) => e.host === host && (options.address === undefined || e.address === options.address));
      if (gone.length === 0) {
        throw new CliError(ErrorCode.SKIFF_ERR_SERVICE_NOT_FOUND, `host ${host}${options.address === undefined ? '' : ` as ${options.address}`} is not exposed on site '${site.state.name}'`, `'skiff service status --site ${site.state.name}' lists services and targets`);
      }
      const addresses = [...new Set(gone.map((e) => e.address))];
      removeTargets(site.state, gone);
      dropUntargeted(site.state, addresses);
      const live = await applyChange(deps.platform, site, (mgmt) => deleteTargets(mgmt, gone));
      emit(deps, global, { text: [`host ${host} unexposed (${addresses.join(', ')})`], json: { site: site.state.name, host, addresses, applied: live } });
    });
}
