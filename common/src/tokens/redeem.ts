/**
 * The redeeming side of a token: POSTs the code to the token's URL over HTTPS, trusting only the
 * token's CA and checking the server's certificate names the URL's host (DNS name or IP address),
 * and reads the answer of either server kind (redeem-answer.ts). Every failure is a TokenError.
 */
import { request } from 'node:https';
import type { AccessTokenSpec } from '../kube-api/types.js';
import type { TokenError } from './errors.js';
import { RedeemHeader } from './protocol.js';
import { parseRedeemAnswer, type Redeemed } from './redeem-answer.js';
import { noAnswer, refusal, requestFailure } from './redeem-errors.js';

export interface RedeemOptions {
  /** Name for the Secret and Link the issuing site makes (v2 `name` header). */
  name: string;
  /** Site id of the redeemer: the common name of its client certificate. */
  subject: string;
  /** Redeemer's version, sent as `?site-version=` for v1 claims servers. */
  version?: string;
  /** Deadline for the whole exchange (default 15 s). */
  timeoutMs?: number;
}

const TIMEOUT_MS = 15_000;
const MAX_ANSWER = 1 << 20;

export function redeemAccessToken(spec: Pick<AccessTokenSpec, 'url' | 'code' | 'ca'>, options: RedeemOptions): Promise<Redeemed> {
  const url = new URL(spec.url);
  if (options.version !== undefined) url.searchParams.set('site-version', options.version);
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const headers = { [RedeemHeader.name]: options.name, [RedeemHeader.subject]: options.subject, [RedeemHeader.siteName]: options.subject };
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: TokenError): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    // agent: false: a redemption is one request, and a pooled keep-alive socket the server has since
    // closed would turn "nothing listens" into a misleading ECONNRESET. No `servername` is set, so
    // Node checks the certificate against the URL's host, an IP address against IP SANs.
    const req = request(url, { method: 'POST', ca: spec.ca, agent: false, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_ANSWER) req.destroy(new Error('the answer is larger than 1 MiB'));
      });
      response.on('end', () => {
        if (response.statusCode !== 200) return fail(refusal(spec.url, response.statusCode ?? 0, body));
        try {
          const redeemed = parseRedeemAnswer(body, spec.url);
          settled = true;
          resolve(redeemed);
        } catch (error) {
          fail(error as TokenError);
        }
      });
      response.on('error', (error) => fail(requestFailure(spec.url, error)));
    });
    // One deadline for the whole exchange, not per socket inactivity, so a slow drip cannot hang us.
    const timer = setTimeout(() => {
      fail(noAnswer(spec.url, timeoutMs / 1000));
      req.destroy();
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error) => fail(requestFailure(spec.url, error)));
    req.end(spec.code);
  });
}
