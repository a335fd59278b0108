/**
 * `skiff expose host HOST --port P`: defines the address as a service of this site (announced to the
 * other sites by service sync) with HOST:P as its target: this site's router connects to it for the
 * address (a tcpConnector).
 */
import { Command } from 'commander';
import { isDnsLabel, parseName, parsePort } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { CliError, ErrorCode, usage } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { kubeExpose } from '../../platform/kubernetes/kube-expose.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';
import { emit } from '../../output.js';
import { applyChange } from '../../site/site-runtime.js';
import { openSite } from '../../site/site-store.js';
import { addTarget, createTargets, defineLocally } from '../../site/service-targets.js';

export function makeExposeHostCommand(deps: CliDeps): Command {
  return new Command('host')
    .description('make a TCP server reachable from this site available on the network')
    .argument('<host>', 'host name or IP of the server')
    .requiredOption('--port <port>', 'port of the server', parsePort)
    .option('--address <address>', 'routing address (default: the host, when it is a DNS label)', parseName)
    .addHelpText('after', '\nExamples:\n  skiff expose host 127.0.0.1 --port 8080 --address hello --site east\n  skiff expose host backend --port 5432\n  skiff expose host db.example.com --port 5432 --address db -n east')
    .action(async (host: string, options: { port: number; address?: string }, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') return kubeExpose(deps, global, { subject: { kind: 'host', name: host }, ports: [{ port: options.port, targetPort: options.port }], address: options.address });
      const site = openSite(deps, global);
      const address = options.address ?? (isDnsLabel(host) ? host : undefined);
      if (address === undefined) throw usage(`'${host}' cannot be an address`, 'name one with --address NAME');
      if (site.state.exposed.some((e) => e.address === address)) {
        throw new CliError(ErrorCode.SKIFF_ERR_SERVICE_EXISTS, `address '${address}' is already exposed on site '${site.state.name}'`, `choose another --address, or add a target with 'skiff service bind ${address} host HOST --port P'`);
      }
      const target = addTarget(site.state, address, host, options.port);
      await defineLocally(site.state, address);
      const live = await applyChange(deps.platform, site, (mgmt) => createTargets(mgmt, [target]));
      emit(deps, global, { text: [`host ${host}:${options.port} exposed as ${address}`], json: { site: site.state.name, address, host, port: options.port, applied: live } });
    });
}
