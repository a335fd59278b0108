/**
 * The router's errors, each a SkiffError (common/src/errors) with a stable `code` and a hint;
 * messages may change, codes never do. docs/errors.md lists each code with its meaning and fix.
 */
import { SkiffError } from '../../common/src/errors/skiff-error.js';

/** Bytes on the wire that do not decode as AMQP 1.0 (malformed type, truncated value, bad frame). */
export class AmqpDecodeError extends SkiffError<'SKIFF_ERR_AMQP_DECODE'> {
  /** The bytes end inside a value: more may complete it (a stream's head arriving in pieces). */
  readonly truncated: boolean;
  constructor(message: string, options: { truncated?: boolean } = {}) {
    super('SKIFF_ERR_AMQP_DECODE', message, 'check what connects to that port: an HTTP or TLS client on a plain AMQP port, or a peer with another max-frame-size');
    this.truncated = options.truncated ?? false;
  }
}

/** A routing-protocol message (HELLO, RA, LSR, LSU, MAU, MAR) that cannot be understood. */
export class RoutingMessageError extends SkiffError<'SKIFF_ERR_ROUTING_MESSAGE'> {
  constructor(message: string) {
    super('SKIFF_ERR_ROUTING_MESSAGE', message, 'check that the peer is a skupper-router or skiff-router of a compatible version');
  }
}

/** A value that cannot be encoded as the AMQP type asked for. */
export class AmqpEncodeError extends SkiffError<'SKIFF_ERR_AMQP_ENCODE'> {
  constructor(message: string) {
    super('SKIFF_ERR_AMQP_ENCODE', message, 'this is a bug in skiff-router: report it with the log line');
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
 * most two lines: where and what is wrong, then what is expected or what to do.
 */
export class ConfigError extends SkiffError<'SKIFF_ERR_CONFIG'> {
  readonly context: ConfigErrorContext;
  constructor(message: string, context: ConfigErrorContext = {}, options?: { cause?: unknown }) {
    super('SKIFF_ERR_CONFIG', message, 'fix the attribute the message names and start the router again (or resend the request)', options);
    this.context = context;
  }
}

/** Command-line arguments the router does not understand. */
export class UsageError extends SkiffError<'SKIFF_ERR_USAGE'> {
  constructor(message: string) {
    super('SKIFF_ERR_USAGE', message, "run 'skiff-router --help' for usage");
  }
}

/** A management request that fails with an AMQP management status (400, 403, 404, 501). */
export class ManagementError extends SkiffError<'SKIFF_ERR_MGMT_REQUEST'> {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super('SKIFF_ERR_MGMT_REQUEST', message, 'GET-OPERATIONS and GET-ATTRIBUTES say what a type allows; QUERY finds the entity');
    this.statusCode = statusCode;
  }
}

/** A refusal by the operating system (EADDRINUSE, EACCES, ...): what was asked cannot be done here, and it is no bug. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
