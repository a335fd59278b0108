/** `skiff status`: is the router running, which links are up, what the site exposes (kube-status.ts on Kubernetes). */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { linkStates, stoppedLinkStates } from '../../mgmt/link-states.js';
import { Management } from '../../mgmt/management.js';
import { emit } from '../../output.js';
import { openSite } from '../../site/site-store.js';
import { readSyncedServices } from '../../sync/sync-files.js';
import { siteSummary } from './site-summary.js';
import { kubeStatus } from '../../platform/kubernetes/kube-status.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';

export function makeStatusCommand(deps: CliDeps): Command {
  return new Command('status')
    .description("show whether the site's router runs and which links are up")
    .addHelpText('after', '\nExamples:\n  skiff status --site west\n  skiff status -o json\n  skiff status -n west -o yaml')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') return kubeStatus(deps, global);
      const site = openSite(deps, global);
      const { state } = site;
      const pid = deps.platform.running(site);
      const links = pid === undefined ? stoppedLinkStates(state.links) : await Management.with(state.ports.management, (m) => linkStates(m, state.links));
      const connected = links.outgoing.filter((l) => l.connected).length + links.incoming.length;
      const synced = readSyncedServices(site.paths).remote.length;
      const text = [
        pid === undefined
          ? `Site '${state.name}' is stopped. Use 'skiff start --site ${state.name}' to run it.`
          : `Site '${state.name}' is running (router ${state.routerId}, pid ${pid}). It is connected to ${plural(connected, 'other site')}. It has ${plural(state.exposed.length, 'exposed host')}, ${plural(state.services.length, 'service listener')} and ${plural(synced, 'service')} synced from other sites.`,
        ...links.outgoing.map((l) => `\tLink ${l.name} ${l.connected ? 'is connected' : `not connected (${l.description})`}`),
        ...links.incoming.map((peer) => `\tIncoming link from router ${peer}`),
      ];
      emit(deps, global, {
        text,
        json: {
          ...siteSummary(site, pid !== undefined),
          platform: deps.platform.name,
          pid: pid ?? null,
          links: links.outgoing,
          incomingLinks: links.incoming,
          exposed: state.exposed,
          services: state.services,
        },
      });
    });
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
