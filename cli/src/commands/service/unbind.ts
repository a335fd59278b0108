/** `skiff service unbind NAME host HOST`: removes the service's targets on HOST; the service stays. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { kubeServiceUnbind } from '../../platform/kubernetes/kube-service-bind.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';
import { emit } from '../../output.js';
import { applyChange } from '../../site/site-runtime.js';
import { openSite } from '../../site/site-store.js';
import { deleteTargets, removeTargets } from '../../site/service-targets.js';
import { findService } from './find-service.js';
import { targetKind } from './target-kind.js';

export function makeServiceUnbindCommand(deps: CliDeps): Command {
  return new Command('unbind')
    .description('remove a target host from a service')
    .argument('<name>', 'the service')
    .addArgument(targetKind())
    .argument('<host>', 'host name or IP given to bind')
    .addHelpText('after', '\nExamples:\n  skiff service unbind hello host 127.0.0.1 --site west\n  skiff service unbind db host db.example.com -n west')
    .action(async (name: string, _kind: string, host: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') return kubeServiceUnbind(deps, global, name, host);
      const site = openSite(deps, global);
      const service = findService(site, name);
      const gone = site.state.exposed.filter((e) => e.address === service.address && e.host === host);
      if (gone.length === 0) {
        throw new CliError(ErrorCode.SKIFF_ERR_TARGET_NOT_FOUND, `host ${host} is not a target of service '${name}' on site '${site.state.name}'`, `'skiff service status --site ${site.state.name}' lists the targets`);
      }
      removeTargets(site.state, gone);
      const live = await applyChange(deps.platform, site, (mgmt) => deleteTargets(mgmt, gone));
      emit(deps, global, {
        text: [`host ${host} unbound from service ${service.address}`],
        json: { site: site.state.name, service: service.address, host, ports: gone.map((t) => t.port), applied: live },
      });
    });
}
