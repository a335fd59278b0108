/**
 * Maps what happened to a redemption request onto TokenErrors: the server's refusals (by status
 * and text, for v2 grant servers and v1 claims servers alike), and failures before any answer
 * (nothing listening, a certificate the token's CA does not vouch for). Pure, so each mapping is
 * tested without a server.
 */
import { NEW_TOKEN_HINT, TokenError, TokenErrorCode } from './errors.js';
import { GrantAnswer } from './protocol.js';

/** Socket errors that mean nothing answered, as opposed to something answered and was not trusted. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

/** Node's TLS verification failures carry OpenSSL's names (UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...). */
const TLS_FAILURE = /CERT|SIGNATURE|ISSUER|ALTNAME|SSL|TLS|OSSL|SELF_SIGNED/;

/** The server answered `status` (not 200) with `body`. */
export function refusal(url: string, status: number, body: string): TokenError {
  const text = body.trim().split('\n')[0] ?? '';
  const details = { status, serverMessage: text };
  const said = `(${status} ${text})`.replace(' )', ')');
  if (status === 404 && (text === GrantAnswer.usedUp || text === GrantAnswer.claimUsedUp)) {
    return new TokenError(TokenErrorCode.usedUp, `the grant at ${url} has been redeemed as many times as it allows ${said}`, `${NEW_TOKEN_HINT}, or one that allows more redemptions`, details);
  }
  if (status === 404 && text === GrantAnswer.claimExpired) {
    return new TokenError(TokenErrorCode.expired, `the grant at ${url} has expired ${said}`, `${NEW_TOKEN_HINT}, or one with a longer expiry`, details);
  }
  if (status === 404) {
    return new TokenError(TokenErrorCode.notFound, `the issuing site knows no grant at ${url}: it expired, was deleted, or the site was re-created ${said}`, NEW_TOKEN_HINT, details);
  }
  if (status === 403) {
    return new TokenError(TokenErrorCode.refused, `the issuing site refused the code in the token ${said}`, `use the token file as it was written, or ${NEW_TOKEN_HINT}`, details);
  }
  return new TokenError(TokenErrorCode.redeem, `failed to redeem the token at ${url}: ${status} ${text}`.trimEnd(), `try again; if it persists, read the issuing site's logs or ${NEW_TOKEN_HINT}`, details);
}

/** The request failed before any answer: unreachable, untrusted, or cut off. */
export function requestFailure(url: string, error: Error): TokenError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (UNREACHABLE.has(code)) {
    return new TokenError(TokenErrorCode.unreachable, `cannot reach ${url} (${code})`, 'check that the issuing site runs and that its address is reachable from here', { cause: error });
  }
  if (TLS_FAILURE.test(code) || TLS_FAILURE.test(error.message)) {
    return new TokenError(TokenErrorCode.tls, `TLS to ${url} failed: ${error.message}`, `the CA in the token does not vouch for that server (file edited, site re-created, or a host its certificate does not name): ${NEW_TOKEN_HINT}`, { cause: error });
  }
  return new TokenError(TokenErrorCode.redeem, `failed to redeem the token at ${url}: ${error.message}`, NEW_TOKEN_HINT, { cause: error });
}

/** No answer within the time allowed. */
export function noAnswer(url: string, seconds: number): TokenError {
  return new TokenError(TokenErrorCode.unreachable, `no answer from ${url} within ${seconds} s`, 'check that the issuing site runs and that nothing between here and it drops the connection');
}
