/** `skiff service delete NAME`: removes the service's listener from the site and the router. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { ErrorCode, notFound } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { emit } from '../../output.js';
import { applyChange } from '../../site/site-runtime.js';
import { openSite } from '../../site/site-store.js';

export function makeServiceDeleteCommand(deps: CliDeps): Command {
  return new Command('delete')
    .description('stop listening for a service on this site')
    .argument('<name>', 'the service')
    .addHelpText('after', '\nExamples:\n  skiff service delete hello --site west')
    .action(async (name: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      const site = openSite(deps, global);
      const service = site.state.services.find((s) => s.name === name);
      if (service === undefined) {
        throw notFound(ErrorCode.SKIFF_ERR_SERVICE_NOT_FOUND, `no service '${name}' on site '${site.state.name}'`, `'skiff status --site ${site.state.name}' lists them`);
      }
      site.state.services = site.state.services.filter((s) => s !== service);
      const live = await applyChange(deps.platform, site, (mgmt) => mgmt.delete('tcpListener', service.name));
      emit(deps, global, { text: [`Service ${name} deleted`], json: { site: site.state.name, service: name, deleted: true, applied: live } });
    });
}
