/**
 * The command tree as completion scripts need it: every command path with its subcommands and
 * options, read from commander so a new command or option completes without touching the scripts.
 */
import type { Command } from 'commander';

export interface CompletionOption {
  /** `--site` and, when there is one, `-o`. */
  flags: string[];
  takesValue: boolean;
  /** Values commander accepts (`.choices()`), offered after the flag. */
  choices: string[];
}

export interface CompletionNode {
  /** Command words after `skiff`: `[]` for the root, `['link', 'create']`. */
  path: string[];
  subcommands: string[];
  options: CompletionOption[];
  /** Values the first argument accepts (`skiff completion bash|zsh`). */
  argumentChoices: string[];
}

export function commandTree(root: Command): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const visit = (command: Command, path: string[]): void => {
    nodes.push({
      path,
      subcommands: command.commands.map((sub) => sub.name()),
      argumentChoices: command.registeredArguments[0]?.argChoices ?? [],
      options: [...command.options.map((option) => ({
        flags: [option.long, option.short].filter((f): f is string => f !== undefined),
        takesValue: option.required || option.optional,
        choices: option.argChoices ?? [],
      })), { flags: ['--help'], takesValue: false, choices: [] }],
    });
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  visit(root, []);
  return nodes;
}
