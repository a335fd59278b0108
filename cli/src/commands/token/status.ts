/**
 * `skiff token status FILE`: what a token is and whether it can still be used, read from the file
 * alone; when the issuing site is on this machine, also how many redemptions its claim has left.
 * An AccessToken does not say when its grant expires or how often it was redeemed: only the
 * issuing site knows, so for one the answer is what the file can tell.
 * It needs no site and no router, so it works on the machine a token was copied to.
 */
import { X509Certificate } from 'node:crypto';
import { Command } from 'commander';
import type { AccessTokenDocument } from '../../../../common/src/tokens/access-token.js';
import { readClaim } from '../../claims/claim-record.js';
import type { CliDeps } from '../../deps.js';
import { globalOptions } from '../../global-options.js';
import { emit, type CommandResult } from '../../output.js';
import { skiffHome } from '../../site/site-paths.js';
import { loadSite, siteNames, type Site } from '../../site/site-store.js';
import { signedByTokenCa, type CertToken } from '../../tokens/cert-token.js';
import type { ClaimToken } from '../../tokens/claim-token.js';
import { readTokenFile } from '../../tokens/token-file.js';

export function makeTokenStatusCommand(deps: CliDeps): Command {
  return new Command('status')
    .description('show what a token file holds and whether it can still be used')
    .argument('<file>', "token made by 'skiff token create' (cert or claim token, or an AccessToken)")
    .addHelpText('after', '\nExamples:\n  skiff token status ~/west.token\n  skiff token status west.yaml -o json')
    .action((file: string, _options: unknown, command: Command) => {
      const read = readTokenFile(file);
      const now = deps.now();
      let result: CommandResult;
      if (read.kind === 'access') result = accessStatus(file, read.token, now);
      else if (read.kind === 'claim') result = claimStatus(file, read.token, localSite(deps, read.token.generatedBy), now);
      else result = certStatus(file, read.token, localSite(deps, read.token.generatedBy), now);
      emit(deps, globalOptions(command), result);
    });
}

/** The site on this machine that issued the token, if any. */
function localSite(deps: CliDeps, siteId: string): Site | undefined {
  const home = skiffHome(deps.env);
  return siteNames(home)
    .map((name) => loadSite(home, name))
    .find((site) => site.state.id === siteId);
}

function issuedBy(token: { generatedBy: string }, issuer: Site | undefined): string {
  return issuer === undefined ? `site ${token.generatedBy} (not on this machine)` : `site '${issuer.state.name}' (${token.generatedBy})`;
}

function claimStatus(file: string, token: ClaimToken, issuer: Site | undefined, now: Date): CommandResult {
  const expired = token.expiration !== null && Date.parse(token.expiration) <= now.getTime();
  const record = issuer === undefined ? undefined : readClaim(issuer.paths, token.name);
  const remaining = issuer === undefined ? null : (record?.remaining ?? 0);
  const usable = !expired && remaining !== 0;
  return {
    text: [
      `Token ${token.name} (claim)`,
      `  issued by:    ${issuedBy(token, issuer)}`,
      `  claim URL:    ${token.url}`,
      `  expires:      ${token.expiration ?? 'never'}${expired ? ' (expired)' : ''}`,
      `  redemptions:  ${remaining === null ? 'unknown (ask the issuing site)' : `${remaining} left, ${record?.made ?? 0} made`}`,
      `  usable:       ${usable ? 'yes' : 'no'}`,
    ],
    json: {
      file,
      tokenType: 'claim',
      name: token.name,
      generatedBy: token.generatedBy,
      issuingSite: issuer?.state.name ?? null,
      url: token.url,
      expiration: token.expiration,
      expired,
      remaining,
      made: record?.made ?? null,
      usable,
    },
  };
}

function certStatus(file: string, token: CertToken, issuer: Site | undefined, now: Date): CommandResult {
  const cert = new X509Certificate(token.cert);
  const notAfter = new Date(cert.validTo).toISOString();
  const expired = Date.parse(notAfter) <= now.getTime();
  const signedByCa = signedByTokenCa(token);
  const usable = !expired && signedByCa;
  return {
    text: [
      `Token ${token.name} (cert)`,
      `  issued by:    ${issuedBy(token, issuer)}`,
      `  inter-router: ${token.interRouter.host}:${token.interRouter.port}`,
      `  edge:         ${token.edge.host}:${token.edge.port}`,
      `  certificate:  ${cert.subject.replace(/\n/g, ', ')}, valid until ${notAfter}${expired ? ' (expired)' : ''}`,
      `  signed by CA: ${signedByCa ? 'yes' : 'no (the file was edited?)'}`,
      `  usable:       ${usable ? 'yes' : 'no'}`,
    ],
    json: {
      file,
      tokenType: 'cert',
      name: token.name,
      generatedBy: token.generatedBy,
      issuingSite: issuer?.state.name ?? null,
      interRouter: token.interRouter,
      edge: token.edge,
      notAfter,
      expired,
      signedByCa,
      usable,
    },
  };
}

function accessStatus(file: string, token: AccessTokenDocument, now: Date): CommandResult {
  const ca = new X509Certificate(token.spec.ca);
  const caNotAfter = new Date(ca.validTo).toISOString();
  const caExpired = Date.parse(caNotAfter) <= now.getTime();
  const linkCost = token.spec.linkCost ?? null;
  return {
    text: [
      `Token ${token.name} (AccessToken)`,
      `  grant URL:    ${token.spec.url}`,
      `  link cost:    ${linkCost === null || linkCost === 0 ? "the issuing site's" : linkCost}`,
      `  CA:           ${ca.subject.replace(/\n/g, ', ')}, valid until ${caNotAfter}${caExpired ? ' (expired)' : ''}`,
      '  redemptions:  unknown (the issuing site knows its grant\'s expiry and redemptions left)',
      `  usable:       ${caExpired ? 'no' : 'yes, unless its grant has expired or been used up'}`,
    ],
    json: { file, tokenType: 'access', name: token.name, url: token.spec.url, linkCost, caNotAfter, caExpired, usable: !caExpired },
  };
}
