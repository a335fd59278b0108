/**
 * Every command a user can run (each leaf of the commander tree) shows examples in its --help, and
 * at least one of them runs that very command, so a new command cannot ship without them.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { makeProgram } from '../../cli/src/program.js';
import { inertPlatform } from './cli-harness.js';

function leaves(command: Command, path: string[] = []): Array<{ path: string[]; command: Command }> {
  if (command.commands.length === 0) return [{ path, command }];
  return command.commands.flatMap((sub) => leaves(sub, [...path, sub.name()]));
}

function programWritingTo(lines: string[]): Command {
  return makeProgram({ env: {}, out: (l) => lines.push(l), err: (l) => lines.push(l), platform: inertPlatform, now: () => new Date() });
}

function helpOf(path: string[]): string {
  const lines: string[] = [];
  leaves(programWritingTo(lines)).find((leaf) => leaf.path.join(' ') === path.join(' '))!.command.outputHelp();
  return lines.join('\n');
}

const all = leaves(programWritingTo([])).map((l) => l.path);

describe('help - every command has examples', () => {
  it('walks a tree with the commands we know of', () => {
    expect(all.map((p) => p.join(' '))).toEqual(expect.arrayContaining(['init', 'status', 'link create', 'token status', 'debug dump', 'version']));
  });

  it.each(all.map((path) => [path.join(' '), path] as const))('skiff %s --help shows an Examples: section that runs it', (_name, path) => {
    const help = helpOf(path);
    const [, examples] = help.split('\nExamples:\n');
    expect(examples, help).toBeDefined();
    expect(examples!.split('\n').some((line) => line.includes(`skiff ${path.join(' ')}`)), examples).toBe(true);
  });
});
