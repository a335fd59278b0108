/**
 * Skupper v1's `KIND/NAME` form of `expose` and `unexpose` (`deployment/hello` for `deployment
 * hello`): the group runs the KIND subcommand with NAME and the rest of the command line, so both
 * forms share one definition, its options, help and errors.
 */
import type { Command } from 'commander';
import { usage } from '../../errors.js';

export function withSlashForm(group: Command): Command {
  return group
    .argument('[kind/name]', 'the two-word form KIND NAME written as one word (deployment/hello)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (word: string | undefined, _options: unknown, command: Command) => {
      if (word === undefined) return command.help({ error: true });
      const slash = word.indexOf('/');
      const kinds = group.commands.map((c) => c.name());
      const sub = slash > 0 ? group.commands.find((c) => c.name() === word.slice(0, slash)) : undefined;
      if (sub === undefined) throw usage(`'${word}' is not something to ${group.name()}`, `name a kind and what to expose: ${kinds.map((k) => `${k} ${k === 'host' ? 'HOST' : 'NAME'}`).join(', ')} (or KIND/NAME)`);
      await sub.parseAsync([word.slice(slash + 1), ...command.args.slice(1)], { from: 'user' });
    });
}
