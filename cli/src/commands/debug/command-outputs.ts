/**
 * The read-only commands' answers, for a debug dump: each runs in-process through a fresh command
 * tree with `-o json` and its output captured, exactly as a user would have seen it. A command that
 * fails (`link status` on a stopped site) is recorded with its error code instead. Commands not in
 * the tree (`service status` before it exists) are skipped, so new ones join the dump by name.
 */
import type { Command } from 'commander';
import type { TarEntry } from '../../archive/tar-writer.js';
import type { CliDeps } from '../../deps.js';
import { CliError } from '../../errors.js';
import { jsonEntry } from './json-entry.js';
import { redactJson } from './redact.js';

/** Builds the whole command tree with the given deps (`makeProgram`). */
export type ProgramFactory = (deps: CliDeps) => Command;

const DUMPED_COMMANDS: readonly (readonly string[])[] = [['version'], ['status'], ['link', 'status'], ['service', 'status'], ['network', 'status']];

/** `target` picks the site in each command: `--site NAME`, or the Kubernetes platform, namespace and context. */
export async function commandOutputEntries(deps: CliDeps, makeProgram: ProgramFactory, target: readonly string[]): Promise<TarEntry[]> {
  const tree = makeProgram(deps);
  const entries: TarEntry[] = [];
  for (const path of DUMPED_COMMANDS) {
    if (!hasCommand(tree, path)) continue;
    entries.push(jsonEntry(`commands/${path.join('-')}.json`, redactJson(await runCaptured(deps, makeProgram, [...path, ...target, '-o', 'json']))));
  }
  return entries;
}

function hasCommand(root: Command, path: readonly string[]): boolean {
  let command: Command | undefined = root;
  for (const word of path) command = command?.commands.find((c) => c.name() === word);
  return command !== undefined;
}

/** What the command printed (parsed), or why it failed, plus anything it said on stderr. */
async function runCaptured(deps: CliDeps, makeProgram: ProgramFactory, argv: string[]): Promise<object> {
  const out: string[] = [];
  const err: string[] = [];
  const program = makeProgram({ ...deps, out: (line) => out.push(line), err: (line) => err.push(line) });
  const command = `skiff ${argv.join(' ')}`;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { command, output: JSON.parse(out.join('\n')) as unknown, stderr: err };
  } catch (error) {
    if (error instanceof CliError) return { command, error: { code: error.code, exitCode: error.exitCode, message: error.message }, stderr: err };
    return { command, error: { message: (error as Error).message }, stderr: err };
  }
}
