/** `skiff debug`: the group of diagnosis subcommands. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import type { ProgramFactory } from './command-outputs.js';
import { makeDebugDumpCommand } from './dump.js';

export function makeDebugCommand(deps: CliDeps, makeProgram: ProgramFactory): Command {
  return new Command('debug').description('collect what it takes to diagnose a site').addCommand(makeDebugDumpCommand(deps, makeProgram));
}
