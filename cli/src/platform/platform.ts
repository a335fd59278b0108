/**
 * Where a site's router runs. `local` runs it as a background process on this machine; a Kubernetes
 * platform (a Deployment plus ConfigMap) will implement the same contract later.
 */
import type { ConfigEntity } from '../site/router-config.js';
import type { Site } from '../site/site-store.js';

export interface Platform {
  readonly name: string;
  /** Starts the site's router with `config` and resolves once it is serving. */
  start(site: Site, config: ConfigEntity[]): Promise<void>;
  /** Stops the router; resolves false when it was not running. */
  stop(site: Site): Promise<boolean>;
  /** The router's process id while it runs. */
  running(site: Site): number | undefined;
}
