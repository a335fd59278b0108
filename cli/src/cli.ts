/**
 * The CLI's error boundary: runs the program and turns every failure into an exit code. A Skiff
 * error prints one line and a hint and exits with its code's exit code; a commander usage error
 * exits 2 with a pointer to --help; anything else is a bug, reported in one line (the stack only
 * with SKIFF_DEBUG=1).
 */
import { CommanderError } from 'commander';
import { errorLines, SkiffError } from '../../common/src/errors/skiff-error.js';
import type { CliDeps } from './deps.js';
import { CliError, ExitCode, usage } from './errors.js';
import { makeProgram } from './program.js';

export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  try {
    await makeProgram(deps).parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return report(deps, error, argv);
  }
}

function report(deps: CliDeps, error: unknown, argv: readonly string[]): number {
  if (error instanceof SkiffError) return print(deps, error);
  if (error instanceof CommanderError) {
    // Help and version were asked for; commander printed them.
    if (error.exitCode === 0) return ExitCode.ok;
    // A bare group (`skiff link`) shows its help, which already says what to type.
    if (error.code === 'commander.help') return ExitCode.usage;
    const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ');
    return print(deps, usage(error.message.replace(/^error: /, ''), `run 'skiff ${words ? `${words} ` : ''}--help' for usage`));
  }
  const message = error instanceof Error ? error.message : String(error);
  const exit = print(deps, new CliError('SKIFF_ERR_INTERNAL', message.split('\n')[0] ?? '', 'this is a bug in skiff; run again with SKIFF_DEBUG=1 for details and report it'));
  if (deps.env.SKIFF_DEBUG === '1' && error instanceof Error && error.stack !== undefined) deps.err(error.stack);
  return exit;
}

function print(deps: CliDeps, error: SkiffError): number {
  for (const line of errorLines(error)) deps.err(line);
  return error.exitCode;
}
