/** `skiff service`: the group of service subcommands. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { makeServiceBindCommand } from './bind.js';
import { makeServiceCreateCommand } from './create.js';
import { makeServiceDeleteCommand } from './delete.js';
import { makeServiceStatusCommand } from './status.js';
import { makeServiceUnbindCommand } from './unbind.js';

export function makeServiceCommand(deps: CliDeps): Command {
  return new Command('service')
    .description('services of the network: define, list, bind targets')
    .addCommand(makeServiceCreateCommand(deps))
    .addCommand(makeServiceDeleteCommand(deps))
    .addCommand(makeServiceStatusCommand(deps))
    .addCommand(makeServiceBindCommand(deps))
    .addCommand(makeServiceUnbindCommand(deps));
}
