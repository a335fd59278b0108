/**
 * `skiff service create NAME PORT`: this site listens on PORT and carries connections to wherever
 * NAME is exposed in the network (a tcpListener). Until service sync exists, the consuming site
 * creates its listener with this command.
 */
import { Command } from 'commander';
import { parseName, parsePort } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { conflict, ErrorCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { emit } from '../../output.js';
import { serviceEntity } from '../../site/router-config.js';
import { applyChange } from '../../site/site-runtime.js';
import type { ServiceListener } from '../../site/site-state.js';
import { openSite } from '../../site/site-store.js';

export function makeServiceCreateCommand(deps: CliDeps): Command {
  return new Command('create')
    .description('listen on a local port for a service exposed elsewhere')
    .argument('<name>', 'the service (its routing address)', parseName)
    .argument('<port>', 'port to listen on', parsePort)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .addHelpText('after', '\nExamples:\n  skiff service create hello 8080 --site west\n  skiff service create db 5432 --host 0.0.0.0')
    .action(async (name: string, port: number, options: { host: string }, command: Command) => {
      const global = globalOptions(command);
      const site = openSite(deps, global);
      if (site.state.services.some((s) => s.name === name)) {
        throw conflict(ErrorCode.SKIFF_ERR_SERVICE_EXISTS, `service '${name}' already exists on site '${site.state.name}'`, 'choose another name');
      }
      const service: ServiceListener = { name, address: name, host: options.host, port };
      site.state.services.push(service);
      const live = await applyChange(deps.platform, site, (mgmt) => mgmt.create(serviceEntity(service)));
      emit(deps, global, { text: [`Service ${name} listening on ${options.host}:${port}`], json: { site: site.state.name, service: name, address: name, host: options.host, port, applied: live } });
    });
}
