/** `skiff network`: the network as seen from this site. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { makeNetworkStatusCommand } from './status.js';

export function makeNetworkCommand(deps: CliDeps): Command {
  return new Command('network').description('the sites of the network, as this site hears them').addCommand(makeNetworkStatusCommand(deps));
}
