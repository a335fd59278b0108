/**
 * `skiff token create FILE`: writes a token another site redeems with `skiff link create`. Cert
 * tokens carry a client certificate signed by this site's CA; claim tokens (a password redeemed at
 * a claims server) are not built yet and are refused with a hint.
 */
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parseDuration, parseName, parsePositiveInt } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { CliError, ErrorCode, ExitCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { skiffVersion } from '../../install-root.js';
import { emit } from '../../output.js';
import { issueLinkCredentials } from '../../site/site-certs.js';
import { acceptsLinks } from '../../site/site-state.js';
import { openSite } from '../../site/site-store.js';
import { certTokenYaml } from '../../tokens/cert-token.js';

interface TokenCreateOptions {
  tokenType: 'cert' | 'claim';
  name: string;
  expiry: number;
  uses: number;
}

export function makeTokenCreateCommand(deps: CliDeps): Command {
  return new Command('create')
    .description('write a token that lets another site link to this one')
    .argument('<file>', 'where to write the token (YAML)')
    .addOption(new Option('-t, --token-type <type>', 'cert: certificates in the file; claim: a password redeemed online').choices(['cert', 'claim']).default('cert'))
    .option('--name <name>', 'name of the token (and of its client certificate)', parseName, 'skupper')
    .option('--expiry <duration>', 'how long a claim token stays redeemable (claim only)', parseDuration, parseDuration('15m'))
    .option('--uses <n>', 'how many times a claim token can be redeemed (claim only)', parsePositiveInt, 1)
    .addHelpText('after', '\nExamples:\n  skiff token create ~/west.token --site west\n  skiff token create east.yaml --name to-east')
    .action((file: string, options: TokenCreateOptions, command: Command) => {
      const global = globalOptions(command);
      const site = openSite(deps, global);
      const { state } = site;
      if (options.tokenType === 'claim') {
        throw new CliError(ExitCode.unsupported, ErrorCode.SKIFF_ERR_TOKEN_TYPE_UNSUPPORTED, 'claim tokens are not implemented yet', 'use --token-type cert (the default)');
      }
      if (!acceptsLinks(state) || state.ingressHost === null) {
        throw new CliError(ExitCode.usage, ErrorCode.SKIFF_ERR_NO_INGRESS, `site '${state.name}' cannot accept links (${state.mode === 'edge' ? 'edge router' : 'ingress none'})`, 'issue the token on an interior site created with --ingress loopback or --ingress HOST');
      }
      const { pair, caCert } = issueLinkCredentials(site.paths, options.name);
      const yaml = certTokenYaml({
        name: options.name,
        generatedBy: state.id,
        siteVersion: skiffVersion(),
        interRouter: { host: state.ingressHost, port: state.ports.interRouter },
        edge: { host: state.ingressHost, port: state.ports.edge },
        cert: pair.cert,
        key: pair.key,
        ca: caCert,
      });
      try {
        // The file holds a private key: readable by its owner only.
        writeFileSync(file, yaml, { mode: 0o600 });
      } catch (error) {
        throw new CliError(ExitCode.usage, ErrorCode.SKIFF_ERR_FILE, `cannot write ${file}: ${(error as Error).message}`, 'choose a writable path', { cause: error });
      }
      emit(deps, global, {
        text: [`Connection token written to ${file}${state.ingressHost === '127.0.0.1' ? ' (Note: token will only be valid on this machine)' : ''}`],
        json: { file, tokenType: 'cert', name: options.name, site: state.name, interRouter: `${state.ingressHost}:${state.ports.interRouter}`, edge: `${state.ingressHost}:${state.ports.edge}` },
      });
    });
}
