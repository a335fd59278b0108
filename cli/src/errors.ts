/**
 * The CLI's error catalogue. A user-caused failure is a `CliError`: `main` prints its message on one
 * line, its hint on the next, and exits with its code. Codes are stable (scripts match on them);
 * messages may change. Every code is listed in cli/README.md with its exit code.
 */

/** Exit codes, documented in cli/README.md. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  router: 5,
  /** The issuing site refused a claim, or its claims server could not be reached or trusted. */
  remote: 6,
  /** Kubernetes: the API server is unreachable or refused, Skiff's CRDs or controller are missing, or a wait timed out. */
  kube: 7,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const ErrorCode = {
  SKIFF_ERR_USAGE: 'SKIFF_ERR_USAGE',
  SKIFF_ERR_SITE_NOT_FOUND: 'SKIFF_ERR_SITE_NOT_FOUND',
  SKIFF_ERR_SITE_AMBIGUOUS: 'SKIFF_ERR_SITE_AMBIGUOUS',
  SKIFF_ERR_SITE_EXISTS: 'SKIFF_ERR_SITE_EXISTS',
  SKIFF_ERR_SITE_STATE: 'SKIFF_ERR_SITE_STATE',
  SKIFF_ERR_ROUTER_START: 'SKIFF_ERR_ROUTER_START',
  SKIFF_ERR_ROUTER_NOT_RUNNING: 'SKIFF_ERR_ROUTER_NOT_RUNNING',
  SKIFF_ERR_MANAGEMENT: 'SKIFF_ERR_MANAGEMENT',
  SKIFF_ERR_NO_INGRESS: 'SKIFF_ERR_NO_INGRESS',
  SKIFF_ERR_TOKEN_INVALID: 'SKIFF_ERR_TOKEN_INVALID',
  SKIFF_ERR_CLAIM_REDEEM: 'SKIFF_ERR_CLAIM_REDEEM',
  SKIFF_ERR_CLAIM_EXPIRED: 'SKIFF_ERR_CLAIM_EXPIRED',
  SKIFF_ERR_CLAIM_USED_UP: 'SKIFF_ERR_CLAIM_USED_UP',
  SKIFF_ERR_CLAIM_REFUSED: 'SKIFF_ERR_CLAIM_REFUSED',
  SKIFF_ERR_CLAIM_NOT_FOUND: 'SKIFF_ERR_CLAIM_NOT_FOUND',
  SKIFF_ERR_CLAIM_TLS: 'SKIFF_ERR_CLAIM_TLS',
  SKIFF_ERR_CLAIMS_UNREACHABLE: 'SKIFF_ERR_CLAIMS_UNREACHABLE',
  SKIFF_ERR_LINK_SELF: 'SKIFF_ERR_LINK_SELF',
  SKIFF_ERR_LINK_EXISTS: 'SKIFF_ERR_LINK_EXISTS',
  SKIFF_ERR_LINK_NOT_FOUND: 'SKIFF_ERR_LINK_NOT_FOUND',
  SKIFF_ERR_LINK_TIMEOUT: 'SKIFF_ERR_LINK_TIMEOUT',
  SKIFF_ERR_SERVICE_EXISTS: 'SKIFF_ERR_SERVICE_EXISTS',
  SKIFF_ERR_SERVICE_NOT_FOUND: 'SKIFF_ERR_SERVICE_NOT_FOUND',
  SKIFF_ERR_TARGET_EXISTS: 'SKIFF_ERR_TARGET_EXISTS',
  SKIFF_ERR_TARGET_NOT_FOUND: 'SKIFF_ERR_TARGET_NOT_FOUND',
  SKIFF_ERR_FILE: 'SKIFF_ERR_FILE',
  SKIFF_ERR_INTERNAL: 'SKIFF_ERR_INTERNAL',
  SKIFF_ERR_KUBE_CONFIG: 'SKIFF_ERR_KUBE_CONFIG',
  SKIFF_ERR_KUBE_UNREACHABLE: 'SKIFF_ERR_KUBE_UNREACHABLE',
  SKIFF_ERR_KUBE_FORBIDDEN: 'SKIFF_ERR_KUBE_FORBIDDEN',
  SKIFF_ERR_KUBE_API: 'SKIFF_ERR_KUBE_API',
  SKIFF_ERR_NO_CRDS: 'SKIFF_ERR_NO_CRDS',
  SKIFF_ERR_NO_CONTROLLER: 'SKIFF_ERR_NO_CONTROLLER',
  SKIFF_ERR_SITE_NOT_READY: 'SKIFF_ERR_SITE_NOT_READY',
  SKIFF_ERR_TIMEOUT: 'SKIFF_ERR_TIMEOUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    readonly code: ErrorCode,
    message: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** A required site or link is absent. */
export function notFound(code: ErrorCode, message: string, hint: string): CliError {
  return new CliError(ExitCode.notFound, code, message, hint);
}

/** The request contradicts what already exists. */
export function conflict(code: ErrorCode, message: string, hint: string): CliError {
  return new CliError(ExitCode.conflict, code, message, hint);
}

/** Bad arguments that commander's own checks cannot see. */
export function usage(message: string, hint: string): CliError {
  return new CliError(ExitCode.usage, ErrorCode.SKIFF_ERR_USAGE, message, hint);
}
