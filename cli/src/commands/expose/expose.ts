/** `skiff expose`: the group of things a site can expose (hosts for now). */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { makeExposeHostCommand } from './host.js';

export function makeExposeCommand(deps: CliDeps): Command {
  return new Command('expose').description('expose a TCP server on the network').addCommand(makeExposeHostCommand(deps));
}
