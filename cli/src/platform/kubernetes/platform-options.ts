/** Refuses options of one platform given to a command running on the other, naming them. */
import type { Command } from 'commander';
import type { PlatformName } from '../../deps.js';
import { usage } from '../../errors.js';

export function refuseOptions(command: Command, platform: PlatformName, names: readonly string[]): void {
  const given = command.options.filter((o) => names.includes(o.attributeName()) && command.getOptionValueSource(o.attributeName()) === 'cli');
  if (given.length === 0) return;
  const flags = [...new Set(given.map((o) => o.long ?? o.flags))].join(', ');
  throw usage(`${flags} ${given.length === 1 ? 'does' : 'do'} not apply to ${platform === 'local' ? 'local' : 'Kubernetes'} sites`, platform === 'local' ? 'for a Kubernetes site add -n NAMESPACE (or --platform kubernetes)' : 'for a site on this machine use --platform local');
}
