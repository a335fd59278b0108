/**
 * `skiff service bind NAME host HOST --port P`: adds a target to a service this site knows (defined
 * here or synced): the router connects to HOST:P for the service's address (a tcpConnector).
 */
import { Command } from 'commander';
import { parsePort } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { kubeServiceBind } from '../../platform/kubernetes/kube-service-bind.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';
import { emit } from '../../output.js';
import { applyChange } from '../../site/site-runtime.js';
import { openSite } from '../../site/site-store.js';
import { addTarget, createTargets } from '../../site/service-targets.js';
import { findService } from './find-service.js';
import { targetKind } from './target-kind.js';

export function makeServiceBindCommand(deps: CliDeps): Command {
  return new Command('bind')
    .description('add a target host to a service')
    .argument('<name>', 'the service')
    .addArgument(targetKind())
    .argument('<host>', 'host name or IP of the server')
    .requiredOption('--port <port>', 'port of the server', parsePort)
    .addHelpText('after', '\nExamples:\n  skiff service bind hello host 127.0.0.1 --port 8081 --site west\n  skiff service bind db host db2.internal --port 5432\n  skiff service bind db host db.example.com --port 5432 -n west')
    .action(async (name: string, _kind: string, host: string, options: { port: number }, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') return kubeServiceBind(deps, global, name, host, options.port);
      const site = openSite(deps, global);
      const service = findService(site, name);
      const target = addTarget(site.state, service.address, host, options.port);
      const live = await applyChange(deps.platform, site, (mgmt) => createTargets(mgmt, [target]));
      emit(deps, global, {
        text: [`host ${host}:${options.port} bound to service ${service.address}`],
        json: { site: site.state.name, service: service.address, host, port: options.port, applied: live },
      });
    });
}
