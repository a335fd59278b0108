/**
 * The CLI's error boundary: runs the program and turns every failure into an exit code. A CliError
 * prints one line and a hint; a commander usage error exits 2 with a pointer to --help; anything
 * else is a bug, reported in one line (the stack only with SKIFF_DEBUG=1).
 */
import { CommanderError } from 'commander';
import type { CliDeps } from './deps.js';
import { CliError, ErrorCode, ExitCode } from './errors.js';
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
  if (error instanceof CliError) {
    deps.err(`Error: ${error.message} [${error.code}]`);
    deps.err(`Hint: ${error.hint}`);
    return error.exitCode;
  }
  if (error instanceof CommanderError) {
    // Help and version were asked for; commander printed them.
    if (error.exitCode === 0) return ExitCode.ok;
    // A bare group (`skiff link`) shows its help, which already says what to type.
    if (error.code === 'commander.help') return ExitCode.usage;
    const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ');
    deps.err(`Error: ${error.message.replace(/^error: /, '')} [${ErrorCode.SKIFF_ERR_USAGE}]`);
    deps.err(`Hint: run 'skiff ${words ? `${words} ` : ''}--help' for usage`);
    return ExitCode.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  deps.err(`Error: ${message.split('\n')[0] ?? ''} [${ErrorCode.SKIFF_ERR_INTERNAL}]`);
  deps.err('Hint: this is a bug in skiff; run again with SKIFF_DEBUG=1 for details and report it');
  if (deps.env.SKIFF_DEBUG === '1' && error instanceof Error && error.stack !== undefined) deps.err(error.stack);
  return ExitCode.internal;
}
