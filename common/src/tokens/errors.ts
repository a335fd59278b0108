/**
 * Why a token could not be read or redeemed, as one TokenError per cause a user acts on differently.
 * The codes are the CLI's (docs/errors.md) so a script sees the same code whether a claim token, an
 * AccessToken, a local site or a Kubernetes site was involved; docs/errors.md explains each.
 */
import { SkiffError } from '../errors/skiff-error.js';

export const TokenErrorCode = {
  /** The token document (or a grant server's answer) is not usable: the message names the field. */
  invalid: 'SKIFF_ERR_TOKEN_INVALID',
  /** 404 "No such claim": the grant is unknown to the server, or (v2) expired. */
  notFound: 'SKIFF_ERR_CLAIM_NOT_FOUND',
  /** 404 "Claim expired" (local sites say so; Kubernetes sites answer "No such claim"). */
  expired: 'SKIFF_ERR_CLAIM_EXPIRED',
  /** 404 "No such access granted" / "Claim used up": every redemption allowed has been made. */
  usedUp: 'SKIFF_ERR_CLAIM_USED_UP',
  /** 403: the code in the token is not the grant's. */
  refused: 'SKIFF_ERR_CLAIM_REFUSED',
  /** The server's certificate is not vouched for by the token's CA, or not for the URL's host. */
  tls: 'SKIFF_ERR_CLAIM_TLS',
  /** Nothing answered at the URL, or not in time. */
  unreachable: 'SKIFF_ERR_CLAIMS_UNREACHABLE',
  /** Any other failure: another status (500, 503), or an answer that is not a token. */
  redeem: 'SKIFF_ERR_CLAIM_REDEEM',
} as const;
export type TokenErrorCode = (typeof TokenErrorCode)[keyof typeof TokenErrorCode];

export interface TokenErrorDetails {
  /** The HTTP status the server answered, when it answered. */
  status?: number;
  /** The text the server answered with, trimmed. */
  serverMessage?: string;
  cause?: unknown;
}

export class TokenError extends SkiffError<TokenErrorCode> {
  readonly status: number | undefined;
  readonly serverMessage: string | undefined;

  constructor(
    code: TokenErrorCode,
    message: string,
    /** What to do about it, one sentence, platform-neutral. */
    hint: string,
    details: TokenErrorDetails = {},
  ) {
    super(code, message, hint, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.serverMessage = details.serverMessage;
  }
}

export const NEW_TOKEN_HINT = 'ask the issuing site for a new token';

/** SKIFF_ERR_TOKEN_INVALID: `source` (a file, a URL, an object's name) is not a usable token because `why`. */
export function invalidToken(source: string, why: string): TokenError {
  return new TokenError(TokenErrorCode.invalid, `${source} is not a usable token: ${why}`, `${NEW_TOKEN_HINT}; tokens are used as written, not edited`);
}
