/**
 * The redeeming side of a claim: POSTs the password to the claim URL, trusting only the CA in the
 * claim token, and returns the cert token the issuing site answers with.
 */
import { request } from 'node:https';
import { CliError, ErrorCode, ExitCode } from '../errors.js';
import type { ClaimToken } from '../tokens/claim-token.js';
import { SITE_NAME_HEADER } from './claims-server.js';

const TIMEOUT_MS = 15_000;

export function redeemClaim(claim: ClaimToken, siteId: string, version: string): Promise<string> {
  const url = new URL(claim.url);
  url.searchParams.set('site-version', version);
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => reject(new CliError(ExitCode.router, ErrorCode.SKIFF_ERR_CLAIM_REDEEM, `failed to redeem claim: ${reason}`, `ask the other site for a new token ('skiff token create FILE')`));
    const req = request(url, { method: 'POST', ca: claim.ca, headers: { [SITE_NAME_HEADER]: siteId }, timeout: TIMEOUT_MS }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => (response.statusCode === 200 ? resolve(body) : fail(`${response.statusCode ?? '?'} ${body.trim()}`)));
      response.on('error', (error) => fail(error.message));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${claim.url} within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (error) => fail(`${claim.url}: ${error.message}`));
    req.end(claim.password);
  });
}
