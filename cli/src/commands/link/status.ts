/**
 * `skiff link status [NAME] [--wait SECONDS]`: outgoing links and whether they are connected, plus
 * the links other sites made to this one. With --wait it polls until the links are up, printing
 * progress on stderr, and fails when the time runs out.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { parseSeconds } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { linkStates, type LinkStates } from '../../mgmt/link-states.js';
import { Management } from '../../mgmt/management.js';
import { emit } from '../../output.js';
import { requireRunning } from '../../site/site-runtime.js';
import { openSite } from '../../site/site-store.js';
import { findLink } from './find-link.js';
import { kubeLinkStatus } from '../../platform/kubernetes/kube-link-status.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';

const POLL_MS = 250;

export function makeLinkStatusCommand(deps: CliDeps): Command {
  return new Command('status')
    .description('show whether links are connected')
    .argument('[name]', 'one link (default: all)')
    .option('--wait <seconds>', 'wait up to this long for the links to connect', parseSeconds, 0)
    .addHelpText('after', '\nExamples:\n  skiff link status --site east\n  skiff link status link1 --wait 30\n  skiff link status -n east --wait 60 -o yaml')
    .action(async (name: string | undefined, options: { wait: number }, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') return kubeLinkStatus(deps, global, name, options.wait);
      const site = openSite(deps, global);
      const { state } = site;
      const links = name === undefined ? state.links : [findLink(state, name)];
      requireRunning(deps.platform, site);
      const deadline = Date.now() + options.wait * 1000;
      const states = await Management.with(state.ports.management, async (mgmt) => {
        for (;;) {
          const current = await linkStates(mgmt, links);
          const waiting = current.outgoing.filter((l) => !l.connected);
          if (options.wait === 0 || waiting.length === 0) return current;
          if (Date.now() >= deadline) {
            throw new CliError(ErrorCode.SKIFF_ERR_LINK_TIMEOUT, `link ${waiting.map((l) => `${l.name} (${l.description})`).join(', ')} not connected after ${options.wait} s`, `check the other site is running and see ${site.paths.logFile}`);
          }
          deps.err(`Waiting for ${waiting.map((l) => l.name).join(', ')} to connect...`);
          await sleep(POLL_MS);
        }
      });
      emit(deps, global, { text: describe(states, name !== undefined), json: { site: state.name, links: states.outgoing, incomingLinks: states.incoming } });
    });
}

function describe(states: LinkStates, single: boolean): string[] {
  const outgoing = states.outgoing.map((l) => `Link ${l.name} ${l.connected ? 'is connected' : `not connected (${l.description})`}`);
  if (single) return outgoing;
  return [
    '',
    'Links created from this site:',
    ...(outgoing.length === 0 ? ['There are no links configured or connected'] : outgoing).map((l) => `\t${l}`),
    'Current links from other sites that are connected:',
    ...(states.incoming.length === 0 ? ['There are no connected links'] : states.incoming.map((peer) => `Incoming link from router ${peer}`)).map((l) => `\t${l}`),
  ];
}
