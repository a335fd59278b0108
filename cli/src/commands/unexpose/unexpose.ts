/** `skiff unexpose`: undoes `skiff expose`. */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { makeUnexposeHostCommand } from './host.js';

export function makeUnexposeCommand(deps: CliDeps): Command {
  return new Command('unexpose').description('stop exposing a TCP server').addCommand(makeUnexposeHostCommand(deps));
}
