/** `skiff link delete NAME`: removes the link from the site and from the running router. */
import { rmSync } from 'node:fs';
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { emit } from '../../output.js';
import { linkProfileName } from '../../site/router-config.js';
import { applyChange } from '../../site/site-runtime.js';
import { openSite } from '../../site/site-store.js';
import { findLink } from './find-link.js';
import { kubeLinkDelete } from '../../platform/kubernetes/kube-link-delete.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';

export function makeLinkDeleteCommand(deps: CliDeps): Command {
  return new Command('delete')
    .description('remove a link')
    .argument('<name>', 'name of the link')
    .addHelpText('after', '\nExamples:\n  skiff link delete link1 --site east\n  skiff link delete link1 -n east')
    .action(async (name: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') return kubeLinkDelete(deps, global, name);
      const site = openSite(deps, global);
      const link = findLink(site.state, name);
      site.state.links = site.state.links.filter((l) => l !== link);
      await applyChange(deps.platform, site, async (mgmt) => {
        // The connector goes first: the profile is in use while it exists.
        await mgmt.delete('connector', link.name);
        await mgmt.delete('sslProfile', linkProfileName(link.name));
      });
      rmSync(site.paths.certs(linkProfileName(link.name)), { recursive: true, force: true });
      emit(deps, global, { text: [`Link '${name}' has been removed`], json: { site: site.state.name, link: name, deleted: true } });
    });
}
