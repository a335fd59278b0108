/** `skiff token`: the group of token subcommands. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { makeTokenCreateCommand } from './create.js';
import { makeTokenStatusCommand } from './status.js';

export function makeTokenCommand(deps: CliDeps): Command {
  return new Command('token')
    .description('issue tokens that let other sites link to this one, and inspect them')
    .addCommand(makeTokenCreateCommand(deps))
    .addCommand(makeTokenStatusCommand(deps));
}
