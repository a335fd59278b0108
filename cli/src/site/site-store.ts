/**
 * Reads and writes sites under SKIFF_HOME and picks the site a command works on:
 * `--site`, else `SKIFF_SITE`, else the only site there is.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../common/src/atomic-file.js';
import { CliError, ErrorCode } from '../errors.js';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { SitePaths, skiffHome } from './site-paths.js';
import type { SiteState } from './site-state.js';

export interface Site {
  state: SiteState;
  paths: SitePaths;
}

export function siteNames(home: string): string[] {
  const dir = join(home, 'sites');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'site.json')))
    .map((e) => e.name)
    .sort();
}

/** The site name a command addresses, or undefined when none is named and none or several exist. */
export function requestedSiteName(deps: CliDeps, options: GlobalOptions): string | undefined {
  return options.site ?? (deps.env.SKIFF_SITE || undefined);
}

export function openSite(deps: CliDeps, options: GlobalOptions): Site {
  const home = skiffHome(deps.env);
  const requested = requestedSiteName(deps, options);
  const names = siteNames(home);
  if (requested === undefined) {
    const [only, ...rest] = names;
    if (only === undefined) {
      throw new CliError(ErrorCode.SKIFF_ERR_SITE_NOT_FOUND, `no site in ${home}`, "create one with 'skiff init --site-name NAME'");
    }
    if (rest.length > 0) {
      throw new CliError(ErrorCode.SKIFF_ERR_SITE_AMBIGUOUS, `several sites in ${home}: ${names.join(', ')}`, 'choose one with --site NAME or SKIFF_SITE=NAME');
    }
    return loadSite(home, only);
  }
  if (!names.includes(requested)) {
    throw new CliError(ErrorCode.SKIFF_ERR_SITE_NOT_FOUND, `no site named '${requested}' in ${home}`, `create it with 'skiff init --site-name ${requested}'`);
  }
  return loadSite(home, requested);
}

export function loadSite(home: string, name: string): Site {
  const paths = SitePaths.of(home, name);
  try {
    return { state: readSiteState(paths), paths };
  } catch (error) {
    throw new CliError(ErrorCode.SKIFF_ERR_SITE_STATE, `cannot read ${paths.state}: ${(error as Error).message}`, `'skiff delete --site ${name}' and init it again`, { cause: error });
  }
}

export function readSiteState(paths: SitePaths): SiteState {
  return JSON.parse(readFileSync(paths.state, 'utf8')) as SiteState;
}

/** Writes through a temporary file so an interrupted write never leaves half a state file. */
export function saveSite(site: Site): void {
  writeFileAtomic(site.paths.state, JSON.stringify(site.state, null, 2) + '\n');
}

