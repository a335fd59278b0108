/**
 * The redeeming side of a claim: POSTs the password to the claim URL, trusting only the CA in the
 * claim token, and returns the cert token the issuing site answers with. Every failure becomes one
 * of the CliErrors of redeem-errors.ts.
 */
import { request } from 'node:https';
import type { CliError } from '../errors.js';
import type { ClaimToken } from '../tokens/claim-token.js';
import { SITE_NAME_HEADER } from './claims-server.js';
import { refusedClaim, timedOut, unanswered } from './redeem-errors.js';

const TIMEOUT_MS = 15_000;

export function redeemClaim(claim: ClaimToken, siteId: string, version: string, timeoutMs = TIMEOUT_MS): Promise<string> {
  const url = new URL(claim.url);
  url.searchParams.set('site-version', version);
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: CliError): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    // agent: false: a redemption is one request, and a pooled keep-alive socket the server has since
    // closed would turn "nothing listens" into a misleading ECONNRESET.
    const req = request(url, { method: 'POST', ca: claim.ca, agent: false, headers: { [SITE_NAME_HEADER]: siteId } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) return fail(refusedClaim(claim.url, response.statusCode ?? 0, body));
        settled = true;
        resolve(body);
      });
      response.on('error', (error) => fail(unanswered(claim.url, error)));
    });
    // One deadline for the whole exchange, not per socket inactivity, so a slow drip cannot hang us.
    const timer = setTimeout(() => {
      fail(timedOut(claim.url, timeoutMs / 1000));
      req.destroy();
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error) => fail(unanswered(claim.url, error)));
    req.end(claim.password);
  });
}
