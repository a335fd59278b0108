/**
 * `skiff network status`: every site this site hears through service sync (itself included), with
 * its router, its links in both directions and the services it defines.
 */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { linkStates } from '../../mgmt/link-states.js';
import { Management } from '../../mgmt/management.js';
import { emit } from '../../output.js';
import { requireRunning } from '../../site/site-runtime.js';
import { openSite } from '../../site/site-store.js';
import { networkSites, type NetworkSite } from '../../sync/network-sites.js';
import { siteReport } from '../../sync/site-report.js';
import { siteListeners } from '../../sync/site-listeners.js';
import { readNetworkView, readSyncedServices } from '../../sync/sync-files.js';
import { node, renderTree, type TreeNode } from '../../text-tree.js';
import { kubeNetworkStatus } from '../../platform/kubernetes/kube-network-status.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';
import { siteNode } from './site-node.js';

export function makeNetworkStatusCommand(deps: CliDeps): Command {
  return new Command('status')
    .description('show the sites of the network, their links and services')
    .addHelpText('after', '\nExamples:\n  skiff network status --site west\n  skiff network status -o json\n  skiff network status -n west --context c1')
    .action(async (_options: unknown, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') return kubeNetworkStatus(deps, global);
      const site = openSite(deps, global);
      const { state } = site;
      requireRunning(deps.platform, site);
      const links = await Management.with(state.ports.management, (m) => linkStates(m, state.links));
      const listeners = siteListeners(state, readSyncedServices(site.paths));
      const sites = networkSites(siteReport(state, links.outgoing, listeners), readNetworkView(site.paths).sites);
      emit(deps, global, { text: ['Sites:', ...renderTree(sites.map(describe))], json: { site: state.name, sites } });
    });
}

function describe(site: NetworkSite): TreeNode {
  const services = site.services.map((s) => node(`${s.address}:${s.ports.join(',')} (${s.protocol})`));
  return siteNode(site, [node(`router: ${site.routerId} (${site.mode})`)], site.links, services);
}
