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
  /** The bytes end inside a value: more may complete it (a stream's head arriving in pieces). */
  readonly truncated: boolean;
  constructor(message: string, options: { truncated?: boolean } = {}) {
    super('SKIFF_ERR_AMQP_DECODE', message);
    this.truncated = options.truncated ?? false;
  }
}

/** A routing-protocol message (HELLO, RA, LSR, LSU, MAU, MAR) that cannot be understood. */
export class RoutingMessageError extends SkiffError {
  constructor(message: string) {
    super('SKIFF_ERR_ROUTING_MESSAGE', message);
  }
}

/** A value that cannot be encoded as the AMQP type asked for. */
export class AmqpEncodeError extends SkiffError {
  constructor(message: string) {
    super('SKIFF_ERR_AMQP_ENCODE', message);
  }
}

// --- config and management (router/src/config, router/src/mgmt) ---

/** Where a configuration problem is: the file, the entity (`listener 'amqp'`) and the attribute. */
export interface ConfigErrorContext {
  file?: string;
  entity?: string;
  attribute?: string;
}

/**
 * A router configuration (file or management CREATE/UPDATE) that cannot be used. The message is at
 * most three lines: where, what is wrong, what is expected.
 */
export class ConfigError extends SkiffError {
  readonly context: ConfigErrorContext;
  constructor(message: string, context: ConfigErrorContext = {}, options?: { cause?: unknown }) {
    super('SKIFF_ERR_CONFIG', message, options);
    this.context = context;
  }
}

/** Command-line arguments the router does not understand. */
export class UsageError extends SkiffError {
  constructor(message: string) {
    super('SKIFF_ERR_USAGE', message);
  }
}

/** A management request that fails with an AMQP management status (400, 403, 404, 501). */
export class ManagementError extends SkiffError {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super('SKIFF_ERR_MGMT_REQUEST', message);
    this.statusCode = statusCode;
  }
}
