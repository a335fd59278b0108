/**
 * `skiff debug dump FILE`: one .tar.gz with what it takes to diagnose a site without access to the
 * machine: its state, router config, logs, the read-only commands' answers and, when the router
 * runs, its management view; on Kubernetes, the namespace's Skiff objects, events and pod logs
 * (kube-dump.ts). Secrets stay out (see the help).
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { tarGz, type TarEntry } from '../../archive/tar-writer.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, ErrorCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { packageVersion } from '../../../../common/src/package-version.js';
import { emit } from '../../output.js';
import { kubeDumpEntries } from '../../platform/kubernetes/kube-dump.js';
import { findSite, kubeClient } from '../../platform/kubernetes/kube-site.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';
import { openSite } from '../../site/site-store.js';
import { commandOutputEntries, type ProgramFactory } from './command-outputs.js';
import { jsonEntry } from './json-entry.js';
import { routerSnapshotEntries } from './router-snapshot.js';
import { siteFileEntries } from './site-files.js';

const ROUTER_NOT_RUNNING_ENTRY = 'management/router-not-running.txt';

const SECRETS_NOTE = `
The dump holds no secrets: claim passwords and token codes are replaced by "[redacted]", private
keys are never read (certs/ is left out; of Kubernetes Secrets only names, types and keys) and
any private key block in a log is cut. Share it as you would a log.`;

/** What one platform contributes to a dump. */
interface Collected {
  site: string;
  entries: TarEntry[];
  /** Extra fields of dump.json. */
  manifest: Record<string, unknown>;
  /** Extra fields of the JSON answer (stable keys per platform). */
  facts: Record<string, unknown>;
  /** Appended to the first text line. */
  note: string;
}

export function makeDebugDumpCommand(deps: CliDeps, makeProgram: ProgramFactory): Command {
  return new Command('dump')
    .description("write a .tar.gz of the site's state, config, logs and router view for diagnosis")
    .argument('<file>', 'archive to write (.tar.gz)')
    .addHelpText('after', `${SECRETS_NOTE}\n\nExamples:\n  skiff debug dump west-dump.tar.gz --site west\n  skiff debug dump /tmp/east.tar.gz -o json\n  skiff debug dump west.tar.gz -n west --context c1`)
    .action(async (file: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      const collected = platformOf(deps, global) === 'kubernetes' ? await kubeCollect(deps, global, makeProgram) : await localCollect(deps, global, makeProgram);
      const now = deps.now();
      const manifest = jsonEntry('dump.json', { site: collected.site, createdAt: now.toISOString(), skiffVersion: packageVersion(), platform: platformName(deps, global), ...collected.manifest, entries: collected.entries.map((e) => e.name) });
      const all = [manifest, ...collected.entries];
      try {
        writeFileSync(file, tarGz(all, now));
      } catch (error) {
        throw new CliError(ErrorCode.SKIFF_ERR_FILE, `cannot write ${file}: ${(error as Error).message}`, 'choose a writable path', { cause: error });
      }
      const names = all.map((e) => e.name);
      emit(deps, global, {
        text: [`Debug dump of site '${collected.site}' written to ${file}${collected.note}:`, ...names.map((n) => `\t${n}`)],
        json: { file, site: collected.site, ...collected.facts, entries: names },
      });
    });
}

function platformName(deps: CliDeps, global: GlobalOptions): string {
  return platformOf(deps, global) === 'kubernetes' ? 'kubernetes' : deps.platform.name;
}

async function localCollect(deps: CliDeps, global: GlobalOptions, makeProgram: ProgramFactory): Promise<Collected> {
  const site = openSite(deps, global);
  const { state } = site;
  const pid = deps.platform.running(site);
  const entries: TarEntry[] = [
    ...siteFileEntries(site),
    ...(await commandOutputEntries(deps, makeProgram, ['--site', state.name])),
    ...(pid === undefined ? [{ name: ROUTER_NOT_RUNNING_ENTRY, data: `The router of site '${state.name}' was not running when the dump was made.\n` }] : await routerSnapshotEntries(state.ports)),
  ];
  return { site: state.name, entries, manifest: { routerPid: pid ?? null }, facts: { routerRunning: pid !== undefined }, note: pid === undefined ? ' (the router was not running: no management queries)' : '' };
}

async function kubeCollect(deps: CliDeps, global: GlobalOptions, makeProgram: ProgramFactory): Promise<Collected> {
  const client = kubeClient(deps, global);
  const { namespace } = client;
  const site = await findSite(client);
  const target = ['-p', 'kubernetes', '-n', namespace, ...(global.context === undefined ? [] : ['--context', global.context]), ...(global.kubeconfig === undefined ? [] : ['--kubeconfig', global.kubeconfig])];
  const entries = [...(await kubeDumpEntries(client)), ...(await commandOutputEntries(deps, makeProgram, target))];
  const facts = { namespace, context: client.target.context };
  return { site: site?.metadata.name ?? namespace, entries, manifest: facts, facts, note: site === undefined ? ` (no Site in namespace ${namespace})` : '' };
}
