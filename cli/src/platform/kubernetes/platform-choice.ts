/**
 * Which platform a command works on. The rule, as cli/README.md states it: `--platform`, else
 * `$SKIFF_PLATFORM`; else kubernetes when a Kubernetes target is named (`-n`, `--context`,
 * `--kubeconfig`); else local when a local site is named (`--site`, `$SKIFF_SITE`) or exists;
 * else kubernetes when a kubeconfig is found ($KUBECONFIG, ~/.kube/config); else local.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { CliDeps, GlobalOptions, PlatformName } from '../../deps.js';
import { usage } from '../../errors.js';
import { skiffHome } from '../../site/site-paths.js';
import { siteNames } from '../../site/site-store.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface PlatformInputs {
  global: GlobalOptions;
  env: Env;
  /** How many local sites exist under SKIFF_HOME. */
  localSites: number;
  fileExists: (path: string) => boolean;
}

export function choosePlatform({ global, env, localSites, fileExists }: PlatformInputs): PlatformName {
  const chosen = global.platform ?? platformFromEnv(env);
  const kubeTarget = global.namespace !== undefined || global.context !== undefined || global.kubeconfig !== undefined;
  const platform = chosen ?? (kubeTarget ? 'kubernetes' : global.site !== undefined || env.SKIFF_SITE || localSites > 0 ? 'local' : kubeconfigFiles(env).some(fileExists) ? 'kubernetes' : 'local');
  if (platform === 'local' && kubeTarget) throw usage('-n/--namespace, --context and --kubeconfig name a Kubernetes site, but the platform is local', 'drop them, or use --platform kubernetes');
  if (platform === 'kubernetes' && global.site !== undefined) throw usage('--site names a local site, but the platform is kubernetes', 'on Kubernetes the namespace is the site: use -n NAMESPACE');
  return platform;
}

/** The files client-go would read: every path in $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigFiles(env: Env): string[] {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter((p) => p !== '');
  return [join(env.HOME || homedir(), '.kube', 'config')];
}

function platformFromEnv(env: Env): PlatformName | undefined {
  const value = env.SKIFF_PLATFORM;
  if (value === undefined || value === '') return undefined;
  if (value === 'local' || value === 'kubernetes') return value;
  throw usage(`SKIFF_PLATFORM=${value} is not a platform`, 'set it to local or kubernetes, or unset it');
}

/** Whether Kubernetes was asked for (not merely found): `--platform`, $SKIFF_PLATFORM, or a named target. */
export function kubernetesRequested(global: GlobalOptions, env: Env): boolean {
  const chosen = global.platform ?? platformFromEnv(env);
  return chosen === 'kubernetes' || (chosen === undefined && (global.namespace !== undefined || global.context !== undefined || global.kubeconfig !== undefined));
}

/** The platform of this command run, from its options, environment and the local sites there are. */
export function platformOf(deps: CliDeps, global: GlobalOptions): PlatformName {
  return choosePlatform({ global, env: deps.env, localSites: siteNames(skiffHome(deps.env)).length, fileExists: existsSync });
}
