/** `skiff link`: the group of link subcommands. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { makeLinkCreateCommand } from './create.js';
import { makeLinkDeleteCommand } from './delete.js';
import { makeLinkStatusCommand } from './status.js';

export function makeLinkCommand(deps: CliDeps): Command {
  return new Command('link')
    .description('link this site to others with tokens')
    .addCommand(makeLinkCreateCommand(deps))
    .addCommand(makeLinkDeleteCommand(deps))
    .addCommand(makeLinkStatusCommand(deps));
}
