/**
 * The CLI's errors. A user-caused failure is a `CliError`: `runCli` prints its message on one line,
 * its hint on the next, and exits with the exit code its code maps to (common/src/errors). Codes are
 * stable (scripts match on them); messages may change. docs/errors.md lists every code.
 */
import { SkiffError } from '../../common/src/errors/skiff-error.js';

export { ErrorCode } from '../../common/src/errors/error-codes.js';
export { ExitCode } from '../../common/src/errors/exit-codes.js';

export class CliError extends SkiffError {}

/** Bad arguments that commander's own checks cannot see. */
export function usage(message: string, hint: string): CliError {
  return new CliError('SKIFF_ERR_USAGE', message, hint);
}
