/**
 * `skiff completion bash|zsh`: prints a completion script generated from the command tree, so it
 * always matches this version's commands and options.
 */
import { Argument, Command } from 'commander';
import { bashScript, zshScript } from '../../completion/bash-script.js';
import { commandTree } from '../../completion/command-tree.js';
import type { CliDeps } from '../../deps.js';

const SHELLS = { bash: bashScript, zsh: zshScript } as const;
type Shell = keyof typeof SHELLS;

/** `root` is a thunk: the tree is complete only once every command has been added to the program. */
export function makeCompletionCommand(deps: CliDeps, root: () => Command): Command {
  return new Command('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(Object.keys(SHELLS)))
    .addHelpText('after', '\nExamples:\n  source <(skiff completion bash)            # this shell\n  skiff completion bash > ~/.local/share/bash-completion/completions/skiff\n  skiff completion zsh > "${fpath[1]}/_skiff"')
    .action((shell: Shell) => {
      deps.out(SHELLS[shell](commandTree(root())).trimEnd());
    });
}
