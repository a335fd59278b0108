/**
 * Reads the root program's options (`-o`, `--site`) from inside a subcommand's action.
 */
import type { Command } from 'commander';
import type { GlobalOptions } from './deps.js';

export function globalOptions(command: Command): GlobalOptions {
  const all = command.optsWithGlobals<{ output?: string; site?: string }>();
  return { output: all.output === 'json' ? 'json' : 'text', ...(all.site === undefined ? {} : { site: all.site }) };
}
