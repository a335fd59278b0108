/**
 * Reads the root program's options (`-o`, `--site`, `--platform`, the kube target) from inside a
 * subcommand's action.
 */
import type { Command } from 'commander';
import type { GlobalOptions, OutputFormat, PlatformName } from './deps.js';

interface RawGlobals {
  output?: OutputFormat;
  site?: string;
  platform?: PlatformName;
  namespace?: string;
  context?: string;
  kubeconfig?: string;
}

export function globalOptions(command: Command): GlobalOptions {
  const { output = 'text', site, platform, namespace, context, kubeconfig } = command.optsWithGlobals<RawGlobals>();
  // Options not given stay absent (exactOptionalPropertyTypes).
  const given = Object.entries({ site, platform, namespace, context, kubeconfig }).filter(([, value]) => value !== undefined);
  return { output, ...(Object.fromEntries(given) as Omit<GlobalOptions, 'output'>) };
}
