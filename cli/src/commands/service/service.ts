/** `skiff service`: the group of service subcommands. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { makeServiceCreateCommand } from './create.js';
import { makeServiceDeleteCommand } from './delete.js';

export function makeServiceCommand(deps: CliDeps): Command {
  return new Command('service').description('services this site listens for').addCommand(makeServiceCreateCommand(deps)).addCommand(makeServiceDeleteCommand(deps));
}
