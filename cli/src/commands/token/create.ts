/**
 * `skiff token create FILE`: writes a token another site redeems with `skiff link create`.
 * A claim token (the default, as in Skupper) holds a one-off password the other site exchanges at
 * this site's claims server for a cert token; a cert token holds the client certificate itself.
 * On Kubernetes it writes an AccessToken (kube-token-create.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parseDuration, parseName, parsePositiveInt } from '../../arg-parsers.js';
import { writeClaim } from '../../claims/claim-record.js';
import type { CliDeps } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { packageVersion } from '../../../../common/src/package-version.js';
import { emit } from '../../output.js';
import { issueLinkCredentials, siteCa } from '../../site/site-certs.js';
import { acceptsLinks } from '../../site/site-state.js';
import { openSite, type Site } from '../../site/site-store.js';
import { certTokenYaml } from '../../tokens/cert-token.js';
import { claimTokenYaml } from '../../tokens/claim-token.js';
import { kubeTokenCreate } from '../../platform/kubernetes/kube-token-create.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';
import { refuseOptions } from '../../platform/kubernetes/platform-options.js';

interface TokenCreateOptions {
  tokenType: 'cert' | 'claim';
  name?: string;
  expiry: number;
  uses: number;
  timeout: number;
}

export function makeTokenCreateCommand(deps: CliDeps): Command {
  return new Command('create')
    .description('write a token that lets another site link to this one')
    .argument('<file>', 'where to write the token (YAML)')
    .addOption(new Option('-t, --token-type <type>', 'claim: a password redeemed online; cert: the certificate itself').choices(['claim', 'cert']).default('claim'))
    .option('--name <name>', 'name of the token (default: a UUID for claims, "skupper" for certs)', parseName)
    .option('--expiry <duration>', 'how long a claim stays redeemable, e.g. 15m, 1h (claim only)', parseDuration, parseDuration('15m'))
    .option('--uses <n>', 'how many times a claim can be redeemed (claim only)', parsePositiveInt, 1)
    .addOption(new Option('--timeout <duration>', 'Kubernetes: how long to wait for the controller to make the grant').argParser(parseDuration).default(parseDuration('1m'), '1m'))
    .addHelpText('after', '\nExamples:\n  skiff token create ~/west.token --site west\n  skiff token create west.yaml --expiry 1h --uses 3\n  skiff token create west-cert.yaml --token-type cert\n  skiff token create west.token -n west --expiry 30m')
    .action(async (file: string, options: TokenCreateOptions, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') {
        // A Kubernetes site issues AccessTokens (an AccessGrant's url, code and CA), as Skupper v2 does.
        refuseOptions(command, 'kubernetes', ['tokenType']);
        return kubeTokenCreate(deps, global, file, options);
      }
      refuseOptions(command, 'local', ['timeout']);
      const site = openSite(deps, global);
      const { state } = site;
      if (!acceptsLinks(state) || state.ingressHost === null) {
        throw new CliError(ErrorCode.SKIFF_ERR_NO_INGRESS, `site '${state.name}' cannot accept links (${state.mode === 'edge' ? 'edge router' : 'ingress none'})`, 'issue the token on an interior site created with --ingress loopback or --ingress HOST');
      }
      const made = options.tokenType === 'claim' ? claimToken(site, options, state.ingressHost) : certToken(site, options.name ?? 'skupper', state.ingressHost);
      try {
        // The file holds a private key or a password: readable by its owner only.
        writeFileSync(file, made.yaml, { mode: 0o600 });
      } catch (error) {
        throw new CliError(ErrorCode.SKIFF_ERR_FILE, `cannot write ${file}: ${(error as Error).message}`, 'choose a writable path', { cause: error });
      }
      const local = state.ingressHost === '127.0.0.1' ? ' (Note: token will only be valid on this machine)' : '';
      emit(deps, global, {
        text: [`${options.tokenType === 'claim' ? 'Token' : 'Connection token'} written to ${file}${local}`],
        json: { file, tokenType: options.tokenType, name: made.name, site: state.name, url: made.url },
      });
    });
}

interface MadeToken {
  name: string;
  yaml: string;
  /** Where the token leads: the claims URL, or the inter-router endpoint. */
  url: string;
}

function certToken(site: Site, name: string, host: string): MadeToken {
  const { state } = site;
  const { pair, caCert } = issueLinkCredentials(site.paths, name);
  const yaml = certTokenYaml({
    name,
    generatedBy: state.id,
    siteVersion: packageVersion(),
    interRouter: { host, port: state.ports.interRouter },
    edge: { host, port: state.ports.edge },
    cert: pair.cert,
    key: pair.key,
    ca: caCert,
  });
  return { name, yaml, url: `amqps://${host}:${state.ports.interRouter}` };
}

function claimToken(site: Site, options: TokenCreateOptions, host: string): MadeToken {
  const { state, paths } = site;
  const name = options.name ?? randomUUID();
  const password = randomBytes(18).toString('base64url');
  const expiration = new Date(Date.now() + options.expiry).toISOString();
  writeClaim(paths, { name, password, expiration, remaining: options.uses, made: 0 });
  const url = `https://${host}:${state.ports.claims}/${name}`;
  const ca = siteCa(paths).cert;
  return { name, url, yaml: claimTokenYaml({ name, url, generatedBy: state.id, siteVersion: packageVersion(), expiration, password, ca }) };
}
