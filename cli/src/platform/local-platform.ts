/**
 * The `local` platform: a site is two detached processes on this machine, the router and the site
 * agent (service sync; claims on sites that accept links), each with a pid file and a log under
 * `runtime/`. Readiness is each one's own "started"/"ready" log line.
 */
import { join } from 'node:path';
import { CliError, ErrorCode } from '../errors.js';
import { installRoot, routerBinary } from '../install-root.js';
import type { ConfigEntity } from '../site/router-config.js';
import type { Site } from '../site/site-store.js';
import { writeFileAtomic } from '../../../common/src/atomic-file.js';
import { runningPid, startBackground, stopBackground, type BackgroundProcessFiles } from './background-process.js';
import type { Platform } from './platform.js';
import { AGENT_READY } from '../agent/agent-ready.js';

export class LocalPlatform implements Platform {
  readonly name = 'local';

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  async start(site: Site, config: ConfigEntity[]): Promise<void> {
    const { paths, state } = site;
    writeFileAtomic(paths.routerConfig, JSON.stringify(config, null, 2) + '\n');
    // An agent left behind by a router that died would hold the claims port the new one needs.
    await stopBackground(agentFiles(site));
    await this.launch(site, routerFiles(site), [routerBinary(this.env), '--config', paths.routerConfig], `router ${state.routerId} started`);
    const agent = join(installRoot(), 'dist', 'cli', 'src', 'agent', 'main.js');
    await this.launch(site, agentFiles(site), [agent, paths.dir], AGENT_READY);
  }

  async stop(site: Site): Promise<boolean> {
    await stopBackground(agentFiles(site));
    return stopBackground(routerFiles(site));
  }

  running(site: Site): number | undefined {
    return runningPid(routerFiles(site));
  }

  private async launch(site: Site, files: BackgroundProcessFiles, args: string[], ready: string): Promise<void> {
    try {
      await startBackground(files, args, ready);
    } catch (error) {
      // Half a site is no site: whatever did start is stopped again.
      await this.stop(site);
      throw new CliError(ErrorCode.SKIFF_ERR_ROUTER_START, `site '${site.state.name}' did not start: ${(error as Error).message}`, `see ${files.logFile}`, { cause: error });
    }
  }
}

function routerFiles(site: Site): BackgroundProcessFiles {
  return { pidFile: site.paths.pidFile, logFile: site.paths.logFile, marker: site.paths.routerConfig };
}

function agentFiles(site: Site): BackgroundProcessFiles {
  return { pidFile: site.paths.agentPidFile, logFile: site.paths.agentLogFile, marker: site.paths.dir };
}
