/**
 * The claims server (reference §2.3): `POST https://host:port/<claim>` with the password as body and
 * the redeemer's site id in `subject` (v2 redeemers) or `skupper-site-name` (v1); on success a fresh
 * cert token whose client certificate names the redeemer. It serves with the site server certificate, so the claim
 * token's CA is all a redeemer needs to trust it.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { RedeemHeader } from '../../../common/src/tokens/protocol.js';
import { isDnsLabel } from '../arg-parsers.js';
import { SITE_SERVER, issueLinkCredentials, tlsFiles } from '../site/site-certs.js';
import type { SiteState } from '../site/site-state.js';
import type { Site } from '../site/site-store.js';
import { certTokenYaml } from '../tokens/cert-token.js';
import { checkClaim, readClaim, writeClaim } from './claim-record.js';

const MAX_BODY = 4096;

export function createClaimsServer(site: Site, version: string, log: (line: string) => void): Server {
  const files = tlsFiles(site.paths.certs(SITE_SERVER));
  return createServer({ cert: readFileSync(files.certFile), key: readFileSync(files.privateKeyFile) }, claimsRequestListener(site, version, log));
}

/** How the server answers each request once TLS is done (the fuzz target drives it over plain HTTP). */
export function claimsRequestListener(site: Site, version: string, log: (line: string) => void): RequestListener {
  return (request, response) => {
    handle(site, version, log, request, response).catch((error: unknown) => {
      log(`claims: ${(error as Error).message}`);
      if (!response.headersSent) answer(response, 500, 'Corrupted claim');
    });
  };
}

async function handle(site: Site, version: string, log: (line: string) => void, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST') return answer(response, 405, 'Method not allowed');
  const name = new URL(request.url ?? '/', 'https://claims').pathname.slice(1);
  let password: string;
  try {
    password = await readBody(request);
  } catch {
    return answer(response, 400, 'Unreadable request');
  }
  // Only names `token create` can make (labels, UUIDs) reach the file system: no path tricks.
  const record = isDnsLabel(name) || /^[0-9a-f-]{36}$/.test(name) ? readClaim(site.paths, name) : undefined;
  const check = checkClaim(record, password, new Date());
  if (!check.ok) {
    log(`claim ${name} refused: ${check.reason}`);
    return answer(response, check.status, check.reason);
  }
  const claim = check.record;
  writeClaim(site.paths, { ...claim, remaining: claim.remaining - 1, made: claim.made + 1 });
  const redeemer = headerText(request, RedeemHeader.subject) || headerText(request, RedeemHeader.siteName) || name;
  log(`claim ${name} redeemed by ${redeemer} (${claim.remaining - 1} left)`);
  // A v2 redeemer names the Secret it makes after the `name` header: one redeemer linking to two
  // sites gets two names, where the common name (its own site id) would be the same twice.
  const wanted = headerText(request, RedeemHeader.name);
  const tokenName = isDnsLabel(wanted) ? wanted : redeemer;
  response.writeHead(200, { 'content-type': 'application/yaml' }).end(certTokenFor(site, version, redeemer, tokenName));
}

function certTokenFor(site: Site, version: string, commonName: string, tokenName: string): string {
  const state: SiteState = site.state;
  const host = state.ingressHost ?? '127.0.0.1';
  const { pair, caCert } = issueLinkCredentials(site.paths, commonName);
  return certTokenYaml({
    name: tokenName,
    generatedBy: state.id,
    siteVersion: version,
    interRouter: { host, port: state.ports.interRouter },
    edge: { host, port: state.ports.edge },
    cert: pair.cert,
    key: pair.key,
    ca: caCert,
  });
}

function headerText(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) request.destroy(new Error('body too large'));
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function answer(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain' }).end(text);
}
