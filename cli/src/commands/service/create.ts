/**
 * `skiff service create NAME PORT`: defines a service on this site, listening on PORT. Service sync
 * announces it, so every other site binds a port of its own for it. A service synced from another
 * site may be created here too, to choose the port it listens on at this site.
 */
import { Command } from 'commander';
import { parseName, parsePort } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { kubeServiceCreate } from '../../platform/kubernetes/kube-service-define.js';
import { refuseOptions } from '../../platform/kubernetes/platform-options.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';
import { emit } from '../../output.js';
import { saveSite, openSite } from '../../site/site-store.js';
import type { ServiceListener } from '../../site/site-state.js';

export function makeServiceCreateCommand(deps: CliDeps): Command {
  return new Command('create')
    .description('define a service on this site and listen for it on a local port')
    .argument('<name>', 'the service (its routing address)', parseName)
    .argument('<port>', 'port to listen on', parsePort)
    .option('--host <host>', 'address to bind (local sites; on Kubernetes the Service NAME is the way in)', '127.0.0.1')
    .addHelpText('after', '\nExamples:\n  skiff service create hello 8080 --site west\n  skiff service create db 5432 --host 0.0.0.0\n  skiff service create db 5432 -n west')
    .action(async (name: string, port: number, options: { host: string }, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') {
        refuseOptions(command, 'kubernetes', ['host']);
        return kubeServiceCreate(deps, global, name, port);
      }
      const site = openSite(deps, global);
      if (site.state.services.some((s) => s.name === name)) {
        throw new CliError(ErrorCode.SKIFF_ERR_SERVICE_EXISTS, `service '${name}' already exists on site '${site.state.name}'`, 'choose another name');
      }
      const service: ServiceListener = { name, address: name, host: options.host, port };
      site.state.services.push(service);
      saveSite(site);
      // The site agent sees site.json change and creates the listener.
      const live = deps.platform.running(site) !== undefined;
      emit(deps, global, { text: [`Service ${name} listening on ${options.host}:${port}`], json: { site: site.state.name, service: name, address: name, host: options.host, port, applied: live } });
    });
}
