/**
 * The router's error catalogue. Every error has a stable `code` (SKIFF_ERR_*); messages may change,
 * codes never do. docs/errors.md lists each code with its meaning and fix.
 */
export class SkiffError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Bytes on the wire that do not decode as AMQP 1.0 (malformed type, truncated value, bad frame). */
export class AmqpDecodeError extends SkiffError {
  constructor(message: string) {
    super('SKIFF_ERR_AMQP_DECODE', message);
  }
}

/** A value that cannot be encoded as the AMQP type asked for. */
export class AmqpEncodeError extends SkiffError {
  constructor(message: string) {
    super('SKIFF_ERR_AMQP_ENCODE', message);
  }
}
