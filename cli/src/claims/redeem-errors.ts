/**
 * Why a claim could not be redeemed, as one CliError per cause the user can act on differently:
 * the claims server answered no (expired, used up, wrong password, unknown claim), TLS to it failed
 * (the token's CA does not vouch for the server), or it could not be reached at all. Pure, so each
 * mapping is tested without a server.
 */
import { CliError, ErrorCode, ExitCode } from '../errors.js';
import { ClaimAnswer } from './claim-record.js';

const NEW_TOKEN = "ask the other site for a new token ('skiff token create FILE')";

/** Socket errors that mean nothing answered, as opposed to something answered and was not trusted. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

/** Node's TLS verification failures carry OpenSSL's names (UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...). */
const TLS_FAILURE = /CERT|SIGNATURE|ISSUER|ALTNAME|SSL|TLS|OSSL|SELF_SIGNED/;

function remote(code: ErrorCode, message: string, hint: string): CliError {
  return new CliError(ExitCode.remote, code, message, hint);
}

/** The claims server answered something other than 200. */
export function refusedClaim(url: string, status: number, body: string): CliError {
  const text = body.trim();
  if (status === 404 && text === ClaimAnswer.expired) {
    return remote(ErrorCode.SKIFF_ERR_CLAIM_EXPIRED, `the claim ${url} has expired`, `${NEW_TOKEN}; --expiry makes a token last longer`);
  }
  if (status === 404 && text === ClaimAnswer.usedUp) {
    return remote(ErrorCode.SKIFF_ERR_CLAIM_USED_UP, `the claim ${url} has been redeemed as many times as it allows`, `${NEW_TOKEN}; --uses lets one token link several sites`);
  }
  if (status === 403) {
    return remote(ErrorCode.SKIFF_ERR_CLAIM_REFUSED, `the claims server refused the password in the token (${url})`, `the token file may have been edited: use the original file, or ${NEW_TOKEN}`);
  }
  if (status === 404) {
    return remote(ErrorCode.SKIFF_ERR_CLAIM_NOT_FOUND, `the issuing site knows no claim ${url}`, `the site may have been deleted and created again: ${NEW_TOKEN}`);
  }
  return remote(ErrorCode.SKIFF_ERR_CLAIM_REDEEM, `failed to redeem claim ${url}: ${status} ${text}`.trimEnd(), `${NEW_TOKEN}; if it persists, read the other site's runtime/agent.log`);
}

/** The request failed before any answer: unreachable, untrusted, or cut off. */
export function unanswered(url: string, error: Error): CliError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (UNREACHABLE.has(code)) {
    return remote(ErrorCode.SKIFF_ERR_CLAIMS_UNREACHABLE, `cannot reach the claims server at ${url} (${code})`, "check that the issuing site runs ('skiff status' there) and that its ingress host is reachable from here");
  }
  if (TLS_FAILURE.test(code) || TLS_FAILURE.test(error.message)) {
    return remote(ErrorCode.SKIFF_ERR_CLAIM_TLS, `TLS to the claims server at ${url} failed: ${error.message}`, `the CA in the token does not vouch for that server: the file was edited or the site re-created; ${NEW_TOKEN}`);
  }
  return remote(ErrorCode.SKIFF_ERR_CLAIM_REDEEM, `failed to redeem claim ${url}: ${error.message}`, NEW_TOKEN);
}

/** No answer within the time allowed. */
export function timedOut(url: string, seconds: number): CliError {
  return remote(ErrorCode.SKIFF_ERR_CLAIMS_UNREACHABLE, `no answer from the claims server at ${url} within ${seconds} s`, 'check that the issuing site runs and that nothing between here and it drops the connection');
}
