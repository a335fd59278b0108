/**
 * The base of every error Skiff raises on purpose: a stable `code` that programs branch on (listed
 * with its meaning and fix in docs/errors.md), a message for people that may change, and a hint
 * saying what to do. The exit status follows from the code.
 */
import { EXIT_CODE_OF, type ErrorCode } from './error-codes.js';
import { ExitCode } from './exit-codes.js';

export class SkiffError<Code extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    /** What to do about it, one sentence. */
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  get exitCode(): ExitCode {
    return EXIT_CODE_OF[this.code];
  }
}

/**
 * How every Skiff program prints an error it stops on: `Error: <message> [<code>]`, then
 * `Hint: <what to do>`. Lines after the message's first stay as they are, between the two.
 */
export function errorLines(error: SkiffError): string[] {
  const [first = '', ...rest] = error.message.split('\n');
  return [`Error: ${first} [${error.code}]`, ...rest, `Hint: ${error.hint}`];
}

/**
 * How a long-running program (controller, kube-adaptor) reports a failure it stops on: a Skiff
 * error as `errorLines`, anything else as `describe` puts it, one log line each; returns the exit code.
 */
export function logFailure(error: unknown, log: (line: string) => void, describe: (error: unknown) => string): ExitCode {
  if (!(error instanceof SkiffError)) {
    log(describe(error));
    return ExitCode.internal;
  }
  for (const line of errorLines(error)) log(line);
  return error.exitCode;
}
