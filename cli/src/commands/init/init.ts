/**
 * `skiff init`: creates a site (state, certificates, router config) and starts its router.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parseDuration, parseName, parsePort } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { CliError, ErrorCode, usage } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { emit } from '../../output.js';
import { sitePorts } from '../../site/free-ports.js';
import { createSiteCertificates } from '../../site/site-certs.js';
import { SitePaths, skiffHome } from '../../site/site-paths.js';
import { DEFAULT_SYNC_GRACE_SECONDS, RouterMode, type SiteState } from '../../site/site-state.js';
import { requestedSiteName, saveSite, type Site } from '../../site/site-store.js';
import { startSite } from '../../site/site-runtime.js';
import { siteSummary } from '../status/site-summary.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';
import { kubeInit } from '../../platform/kubernetes/kube-init.js';
import { refuseOptions } from '../../platform/kubernetes/platform-options.js';

const DEFAULT_SITE = 'default';
/** Below this the snapshots sent every quarter grace come faster than a busy machine delivers them. */
const MIN_SYNC_GRACE_MS = 2_000;

interface InitOptions {
  siteName?: string;
  routerMode: RouterMode;
  ingress: string;
  portBase?: number;
  syncGrace: number;
  enableLinkAccess?: boolean;
  linkAccessType?: string;
  wait: boolean;
  timeout: number;
}

export function makeInitCommand(deps: CliDeps): Command {
  return new Command('init')
    .description('create a site on this machine and start its router')
    .option('--site-name <name>', 'name of the site (default: --site, $SKIFF_SITE or "default")', parseName)
    .addOption(new Option('--router-mode <mode>', 'interior routers accept links; edge routers only make them').choices(['interior', 'edge']).default('interior'))
    .option('--ingress <loopback|none|host>', 'where other sites reach this one: 127.0.0.1, nowhere, or a host name or IP', 'loopback')
    .option('--port-base <port>', 'use five consecutive ports from here (default: free ports)', parsePort)
    .option('--sync-grace <duration>', "how long to keep a silent site's services (Skupper's service-sync ttl)", parseDuration, DEFAULT_SYNC_GRACE_SECONDS * 1000)
    .option('--enable-link-access', 'Kubernetes: let other sites link to this one (linkAccess default: a LoadBalancer)')
    .addOption(new Option('--link-access-type <type>', 'Kubernetes: how other sites reach this one (implies --enable-link-access)').choices(['loadbalancer', 'nodeport', 'local']))
    .option('--wait', 'Kubernetes: wait until the Site is ready (the default)', true)
    .option('--no-wait', 'Kubernetes: return once the Site is created')
    .addOption(new Option('--timeout <duration>', 'Kubernetes: how long to wait for the Site to be ready').argParser(parseDuration).default(parseDuration('3m'), '3m'))
    .addHelpText('after', '\nExamples:\n  skiff init --site-name west\n  skiff init --site-name east --port-base 25670\n  skiff init --site-name laptop --router-mode edge\n  skiff init --site-name lab --sync-grace 1m\n  skiff init -n west --context c1 --enable-link-access\n  skiff init -n east --link-access-type nodeport --timeout 5m')
    .action(async (options: InitOptions, command: Command) => {
      const global = globalOptions(command);
      if (platformOf(deps, global) === 'kubernetes') {
        refuseOptions(command, 'kubernetes', ['ingress', 'portBase', 'syncGrace']);
        return kubeInit(deps, global, options);
      }
      refuseOptions(command, 'local', ['enableLinkAccess', 'linkAccessType', 'wait', 'timeout']);
      const name = options.siteName ?? requestedSiteName(deps, global) ?? DEFAULT_SITE;
      const paths = SitePaths.of(skiffHome(deps.env), name);
      if (options.syncGrace < MIN_SYNC_GRACE_MS) throw usage(`--sync-grace ${options.syncGrace / 1000}s is too short`, `use ${MIN_SYNC_GRACE_MS / 1000}s or more (default ${DEFAULT_SYNC_GRACE_SECONDS / 60}m)`);
      if (existsSync(paths.state)) {
        throw new CliError(ErrorCode.SKIFF_ERR_SITE_EXISTS, `site '${name}' already exists in ${paths.dir}`, `start it with 'skiff start --site ${name}', or remove it with 'skiff delete --site ${name}'`);
      }
      const site = await createSite(paths, name, options);
      await startSite(deps.platform, site);
      emit(deps, global, {
        text: [`Site '${name}' is now running (router ${site.state.routerId}).  Use 'skiff status --site ${name}' to get more information.`],
        json: siteSummary(site, true),
      });
    });
}

async function createSite(paths: SitePaths, name: string, options: InitOptions): Promise<Site> {
  const id = randomUUID();
  const ingressHost = options.routerMode === RouterMode.edge || options.ingress === 'none' ? null : options.ingress === 'loopback' ? '127.0.0.1' : options.ingress;
  const state: SiteState = {
    id,
    name,
    // Router ids must be unique across the mesh; two machines may both have a site called "default".
    routerId: `${name}-${id.slice(0, 8)}`,
    mode: options.routerMode,
    ingressHost,
    ports: await sitePorts(options.portBase),
    links: [],
    exposed: [],
    services: [],
    syncGraceSeconds: options.syncGrace / 1000,
  };
  const site = { state, paths };
  try {
    createSiteCertificates(paths, ingressHost);
    saveSite(site);
  } catch (error) {
    // Half a site (certificates but no state) would block the next init under this name.
    rmSync(paths.dir, { recursive: true, force: true });
    throw error;
  }
  return site;
}
