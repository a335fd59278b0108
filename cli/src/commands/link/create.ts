/**
 * `skiff link create FILE`: stores the token's credentials in the site, adds the link's sslProfile
 * and connector to the state (so `start` keeps it) and creates them in the running router.
 */
import { Command } from 'commander';
import { parseName, parsePositiveInt } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { conflict, ErrorCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { emit } from '../../output.js';
import { linkEntities, linkProfileName } from '../../site/router-config.js';
import { writeTlsDir } from '../../site/site-certs.js';
import { applyChange } from '../../site/site-runtime.js';
import { RouterMode, type LinkRecord, type SiteState } from '../../site/site-state.js';
import { openSite } from '../../site/site-store.js';
import { redeemClaim } from '../../claims/redeem-claim.js';
import { skiffVersion } from '../../install-root.js';
import { parseCertToken, signedByTokenCa, type CertToken } from '../../tokens/cert-token.js';
import { invalidToken } from '../../tokens/secret-document.js';
import { readTokenFile, type TokenFile } from '../../tokens/token-file.js';

interface LinkCreateOptions {
  name?: string;
  cost?: number;
}

export function makeLinkCreateCommand(deps: CliDeps): Command {
  return new Command('create')
    .description('link this site to the site that issued a token')
    .argument('<file>', "token made by 'skiff token create' on the other site")
    .option('--name <name>', 'name of the link (default: link1, link2, ...)', parseName)
    .option('--cost <n>', "link cost for routing (default: the token's, else 1)", parsePositiveInt)
    .addHelpText('after', '\nExamples:\n  skiff link create ~/west.token --site east\n  skiff link create west.yaml --name to-west --cost 5')
    .action(async (file: string, options: LinkCreateOptions, command: Command) => {
      const global = globalOptions(command);
      const site = openSite(deps, global);
      const { state } = site;
      const name = options.name ?? nextLinkName(state);
      if (state.links.some((l) => l.name === name)) {
        throw conflict(ErrorCode.SKIFF_ERR_LINK_EXISTS, `a link named '${name}' already exists`, 'choose another --name');
      }
      const token = await certTokenFrom(file, readTokenFile(file), state);
      // An edge router links as an edge (to the edge listener); an interior one as a peer.
      const edge = state.mode === RouterMode.edge;
      const endpoint = edge ? token.edge : token.interRouter;
      const link: LinkRecord = { name, cost: options.cost ?? token.cost ?? 1, remoteSiteId: token.generatedBy, role: edge ? 'edge' : 'inter-router', ...endpoint };
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

/** The cert token in the file, or the one its claim is redeemed for; refuses self and duplicate links first. */
async function certTokenFrom(path: string, file: TokenFile, state: SiteState): Promise<CertToken> {
  // Checked before redeeming so a refused link does not use up the claim.
  refuseLinkTo(file.token.generatedBy, state);
  if (file.kind === 'cert') {
    if (!signedByTokenCa(file.token)) throw invalidToken(path, 'its certificate is not signed by its CA (was the file edited?)');
    return file.token;
  }
  return parseCertToken(await redeemClaim(file.token, state.id, skiffVersion()), file.token.url);
}

function refuseLinkTo(siteId: string, state: SiteState): void {
  if (siteId === state.id) {
    throw conflict(ErrorCode.SKIFF_ERR_LINK_SELF, `cannot link site '${state.name}' to itself`, 'use a token issued by another site');
  }
  const existing = state.links.find((l) => l.remoteSiteId === siteId);
  if (existing !== undefined) {
    throw conflict(ErrorCode.SKIFF_ERR_LINK_EXISTS, `already linked to site ${siteId} (link '${existing.name}')`, `remove it first with 'skiff link delete ${existing.name}'`);
  }
}

function nextLinkName(state: SiteState): string {
  for (let i = 1; ; i++) if (!state.links.some((l) => l.name === `link${i}`)) return `link${i}`;
}
