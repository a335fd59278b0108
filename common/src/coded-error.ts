/**
 * The base of the errors shared code and controllers throw: a stable `code` (documented in
 * docs/errors.md) that programs branch on, and a message for people that may change.
 */
export class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
