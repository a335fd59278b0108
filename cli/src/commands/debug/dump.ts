/**
 * `skiff debug dump FILE`: one .tar.gz with what it takes to diagnose a site without access to the
 * machine: its state, router config, logs, the read-only commands' answers and, when the router
 * runs, its management view. Secrets stay out (see the help).
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { tarGz, type TarEntry } from '../../archive/tar-writer.js';
import type { CliDeps } from '../../deps.js';
import { CliError, ErrorCode, ExitCode } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import { skiffVersion } from '../../install-root.js';
import { emit } from '../../output.js';
import { openSite } from '../../site/site-store.js';
import { commandOutputEntries, type ProgramFactory } from './command-outputs.js';
import { jsonEntry } from './json-entry.js';
import { routerSnapshotEntries } from './router-snapshot.js';
import { siteFileEntries } from './site-files.js';

const ROUTER_NOT_RUNNING_ENTRY = 'management/router-not-running.txt';

const SECRETS_NOTE = `
The dump holds no secrets: claim passwords are replaced by "[redacted]", private keys are never
read (certs/ is left out) and any private key block in a log is cut. Share it as you would a log.`;

export function makeDebugDumpCommand(deps: CliDeps, makeProgram: ProgramFactory): Command {
  return new Command('dump')
    .description("write a .tar.gz of the site's state, config, logs and router view for diagnosis")
    .argument('<file>', 'archive to write (.tar.gz)')
    .addHelpText('after', `${SECRETS_NOTE}\n\nExamples:\n  skiff debug dump west-dump.tar.gz --site west\n  skiff debug dump /tmp/east.tar.gz -o json`)
    .action(async (file: string, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      const site = openSite(deps, global);
      const { state } = site;
      const pid = deps.platform.running(site);
      const entries: TarEntry[] = [
        ...siteFileEntries(site),
        ...(await commandOutputEntries(deps, makeProgram, state.name)),
        ...(pid === undefined ? [{ name: ROUTER_NOT_RUNNING_ENTRY, data: `The router of site '${state.name}' was not running when the dump was made.\n` }] : await routerSnapshotEntries(state.ports)),
      ];
      const now = deps.now();
      const manifest = jsonEntry('dump.json', { site: state.name, createdAt: now.toISOString(), skiffVersion: skiffVersion(), platform: deps.platform.name, routerPid: pid ?? null, entries: entries.map((e) => e.name) });
      const all = [manifest, ...entries];
      try {
        writeFileSync(file, tarGz(all, now));
      } catch (error) {
        throw new CliError(ExitCode.usage, ErrorCode.SKIFF_ERR_FILE, `cannot write ${file}: ${(error as Error).message}`, 'choose a writable path', { cause: error });
      }
      const names = all.map((e) => e.name);
      emit(deps, global, {
        text: [
          `Debug dump of site '${state.name}' written to ${file}${pid === undefined ? ' (the router was not running: no management queries)' : ''}:`,
          ...names.map((n) => `\t${n}`),
        ],
        json: { file, site: state.name, routerRunning: pid !== undefined, entries: names },
      });
    });
}
