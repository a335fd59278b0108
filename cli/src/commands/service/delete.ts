/** `skiff service delete NAME`: removes a service defined on this site, with its targets here. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { kubeServiceDelete } from '../../platform/kubernetes/kube-service-define.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';
import { emit } from '../../output.js';
import { applyChange } from '../../site/site-runtime.js';
import { openSite } from '../../site/site-store.js';
import { deleteTargets, removeTargets } from '../../site/service-targets.js';

export function makeServiceDeleteCommand(deps: CliDeps): Command {
  return new Command('delete')
    .description('remove a service defined on this site')
    .argument('<name>', 'the service')
    .addHelpText('after', '\nExamples:\n  skiff service delete hello --site west\n  skiff service delete db -n west')
    .action(async (name: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') return kubeServiceDelete(deps, global, name);
      const site = openSite(deps, global);
      const service = site.state.services.find((s) => s.name === name);
      if (service === undefined) {
        throw new CliError(ErrorCode.SKIFF_ERR_SERVICE_NOT_FOUND, `no service '${name}' defined on site '${site.state.name}'`, `'skiff service status --site ${site.state.name}' lists them; a synced service is deleted on its origin site`);
      }
      site.state.services = site.state.services.filter((s) => s !== service);
      const targets = site.state.exposed.filter((e) => e.address === service.address);
      removeTargets(site.state, targets);
      // The listener goes with the definition: the site agent sees site.json change.
      const live = await applyChange(deps.platform, site, (mgmt) => deleteTargets(mgmt, targets));
      emit(deps, global, { text: [`Service ${name} deleted`], json: { site: site.state.name, service: name, deleted: true, applied: live } });
    });
}
