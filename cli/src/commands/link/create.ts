/**
 * `skiff link create FILE`: stores the token's credentials in the site, adds the link's sslProfile
 * and connector to the state (so `start` keeps it) and creates them in the running router. A cert
 * token holds the credentials; a claim token or an AccessToken is redeemed for them at the issuing
 * site, local or Kubernetes (common/src/tokens).
 */
import { Command } from 'commander';
import { TokenError } from '../../../../common/src/tokens/errors.js';
import type { Redeemed, RedeemedEndpoint } from '../../../../common/src/tokens/redeem-answer.js';
import { redeemAccessToken } from '../../../../common/src/tokens/redeem.js';
import { parseName, parsePositiveInt } from '../../arg-parsers.js';
import { cliErrorOf } from '../../claims/redeem-errors.js';
import type { CliDeps } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { emit } from '../../output.js';
import { linkEntities, linkNameClash, linkProfileName } from '../../site/router-config.js';
import { writeTlsDir } from '../../site/site-certs.js';
import { applyChange } from '../../site/site-runtime.js';
import { RouterMode, type LinkRecord, type SiteState } from '../../site/site-state.js';
import { openSite } from '../../site/site-store.js';
import { packageVersion } from '../../../../common/src/package-version.js';
import { signedByTokenCa, type Endpoint } from '../../tokens/cert-token.js';
import { invalidToken } from '../../tokens/secret-document.js';
import { readTokenFile, type TokenFile } from '../../tokens/token-file.js';
import { isKubernetes, kubeLinkCreate } from '../../platform/kubernetes/link-create.js';

interface LinkCreateOptions {
  name?: string;
  cost?: number;
}

/** What a link needs from a token, whichever kind it was. */
interface LinkCredentials {
  remoteSiteId: string;
  interRouter?: Endpoint;
  edge?: Endpoint;
  cost?: number;
  cert: string;
  key: string;
  ca: string;
}

export function makeLinkCreateCommand(deps: CliDeps): Command {
  return new Command('create')
    .description('link this site to the site that issued a token')
    .argument('<file>', "token made by 'skiff token create' on the other site (cert or claim token, or an AccessToken)")
    .option('--name <name>', 'name of the link (default: link1, link2, ...)', parseName)
    .option('--cost <n>', "link cost for routing (default: the token's, else 1)", parsePositiveInt)
    .addHelpText('after', '\nExamples:\n  skiff link create ~/west.token --site east\n  skiff link create west.yaml --name to-west --cost 5\n  skiff link create west-access-token.yaml   # from a Kubernetes site')
    .action(async (file: string, options: LinkCreateOptions, command: Command) => {
      if (isKubernetes(deps, command)) return kubeLinkCreate(deps, command, file);
      const global = globalOptions(command);
      const site = openSite(deps, global);
      const { state } = site;
      const name = options.name ?? nextLinkName(state);
      if (state.links.some((l) => l.name === name)) {
        throw new CliError(ErrorCode.SKIFF_ERR_LINK_EXISTS, `a link named '${name}' already exists`, 'choose another --name');
      }
      const clash = linkNameClash(state, name);
      if (clash !== undefined) {
        throw new CliError(ErrorCode.SKIFF_ERR_LINK_EXISTS, `a link named '${name}' would need the router entity name '${clash}', which this site's router config uses already`, 'choose another --name');
      }
      const token = await credentialsFrom(file, readTokenFile(file), state, name);
      // An edge router links as an edge (to the edge listener); an interior one as a peer.
      const edge = state.mode === RouterMode.edge;
      const role = edge ? 'edge' : 'inter-router';
      const endpoint = edge ? token.edge : token.interRouter;
      if (endpoint === undefined) {
        throw new CliError(ErrorCode.SKIFF_ERR_CLAIM_REDEEM, `the issuing site offers no ${role} endpoint`, edge ? 'link an edge site to a site with an edge endpoint' : 'link to a site whose link access includes inter-router');
      }
      const link: LinkRecord = { name, cost: options.cost ?? token.cost ?? 1, remoteSiteId: token.remoteSiteId, role, ...endpoint };
      writeTlsDir(site.paths.certs(linkProfileName(name)), { cert: token.cert, key: token.key }, token.ca);
      state.links.push(link);
      const [profile, connector] = linkEntities(site.paths, link);
      const live = await applyChange(deps.platform, site, async (mgmt) => {
        await mgmt.create(profile);
        await mgmt.create(connector);
      });
      emit(deps, global, {
        text: [
          `Site configured to link to ${endpoint.host}:${endpoint.port} (name=${name})`,
          live ? "Check the status of the link using 'skiff link status'." : `The router is stopped; the link comes up with 'skiff start --site ${state.name}'.`,
        ],
        json: { site: state.name, link: name, host: endpoint.host, port: endpoint.port, cost: link.cost, role: link.role, remoteSiteId: link.remoteSiteId, applied: live },
      });
    });
}

/** The token's credentials, redeemed first for claims and AccessTokens; refuses self and duplicate links. */
async function credentialsFrom(path: string, file: TokenFile, state: SiteState, linkName: string): Promise<LinkCredentials> {
  if (file.kind === 'cert') {
    refuseLinkTo(file.token.generatedBy, state);
    if (!signedByTokenCa(file.token)) throw invalidToken(path, 'its certificate is not signed by its CA (was the file edited?)');
    return { ...file.token, remoteSiteId: file.token.generatedBy };
  }
  if (file.kind === 'claim') {
    // Checked before redeeming so a refused link does not use up the claim.
    refuseLinkTo(file.token.generatedBy, state);
    return credentialsOf(await redeem({ url: file.token.url, code: file.token.password, ca: file.token.ca }, state, linkName), file.token.url);
  }
  // An AccessToken does not say which site issued it: that is known once it is redeemed.
  const credentials = credentialsOf(await redeem(file.token.spec, state, linkName), file.token.spec.url);
  refuseLinkTo(credentials.remoteSiteId, state);
  const linkCost = file.token.spec.linkCost ?? 0;
  return linkCost > 0 ? { ...credentials, cost: linkCost } : credentials;
}

async function redeem(spec: { url: string; code: string; ca: string }, state: SiteState, linkName: string): Promise<Redeemed> {
  try {
    return await redeemAccessToken(spec, { name: linkName, subject: state.id, version: packageVersion() });
  } catch (error) {
    throw error instanceof TokenError ? cliErrorOf(error) : error;
  }
}

function credentialsOf(redeemed: Redeemed, url: string): LinkCredentials {
  const { secret } = redeemed;
  const endpoints = redeemed.links[0]?.endpoints ?? [];
  const endpoint = (role: RedeemedEndpoint['name']): Endpoint | undefined => {
    const found = endpoints.find((e) => e.name === role);
    return found === undefined ? undefined : { host: found.host, port: found.port };
  };
  const interRouter = endpoint('inter-router');
  const edge = endpoint('edge');
  const cost = redeemed.links[0]?.cost;
  return {
    // A grant server that does not name its site (not Skiff's) is known by its address.
    remoteSiteId: secret.generatedBy ?? new URL(url).host,
    ...(interRouter === undefined ? {} : { interRouter }),
    ...(edge === undefined ? {} : { edge }),
    ...(cost === undefined ? {} : { cost }),
    cert: secret['tls.crt'],
    key: secret['tls.key'],
    ca: secret['ca.crt'],
  };
}

function refuseLinkTo(siteId: string, state: SiteState): void {
  if (siteId === state.id) {
    throw new CliError(ErrorCode.SKIFF_ERR_LINK_SELF, `cannot link site '${state.name}' to itself`, 'use a token issued by another site');
  }
  const existing = state.links.find((l) => l.remoteSiteId === siteId);
  if (existing !== undefined) {
    throw new CliError(ErrorCode.SKIFF_ERR_LINK_EXISTS, `already linked to site ${siteId} (link '${existing.name}')`, `remove it first with 'skiff link delete ${existing.name}'`);
  }
}

function nextLinkName(state: SiteState): string {
  for (let i = 1; ; i++) if (!state.links.some((l) => l.name === `link${i}`)) return `link${i}`;
}
