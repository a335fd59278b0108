/**
 * Where sites live on disk: `$SKIFF_HOME/sites/<name>/`, with SKIFF_HOME defaulting to
 * `${XDG_DATA_HOME:-~/.local/share}/skiff` (the layout Skupper's system sites use under
 * `$XDG_DATA_HOME/skupper`).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function skiffHome(env: Readonly<Record<string, string | undefined>>): string {
  if (env.SKIFF_HOME) return env.SKIFF_HOME;
  const data = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(data, 'skiff');
}

/** The files of one site. */
export class SitePaths {
  constructor(readonly dir: string) {}

  static of(home: string, site: string): SitePaths {
    return new SitePaths(join(home, 'sites', site));
  }

  get state(): string {
    return join(this.dir, 'site.json');
  }
  get routerConfig(): string {
    return join(this.dir, 'router', 'skrouterd.json');
  }
  get pidFile(): string {
    return join(this.dir, 'runtime', 'router.pid');
  }
  get logFile(): string {
    return join(this.dir, 'runtime', 'router.log');
  }
  get agentPidFile(): string {
    return join(this.dir, 'runtime', 'agent.pid');
  }
  get agentLogFile(): string {
    return join(this.dir, 'runtime', 'agent.log');
  }
  /** Services other sites announced, and the port this site binds for each (written by the agent). */
  get syncedServices(): string {
    return join(this.dir, 'sync', 'services.json');
  }
  /** The latest report of every site heard from, this one included (written by the agent). */
  get networkView(): string {
    return join(this.dir, 'runtime', 'network.json');
  }
  /** Claim records: one JSON file per claim token this site issued. */
  claim(name: string): string {
    return join(this.dir, 'claims', `${name}.json`);
  }
  /** Directory of a set of TLS files (`tls.crt`, `tls.key`, `ca.crt`), as Skupper mounts secrets. */
  certs(name: string): string {
    return join(this.dir, 'certs', name);
  }
}
