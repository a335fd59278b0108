/**
 * The site agent: a small process that runs next to every site's router and does what the router
 * does not (Skupper runs these in the config-sync sidecar and the service controller): service sync
 * over the mesh on every site, and the claims server on sites that accept links. Usage:
 * `node agent/main.js SITE_DIR`; the local platform starts and stops it with the router.
 */
import { createClaimsServer } from '../claims/claims-server.js';
import { packageVersion } from '../../../common/src/package-version.js';
import { SitePaths } from '../site/site-paths.js';
import { acceptsLinks } from '../site/site-state.js';
import { readSiteState } from '../site/site-store.js';
import { AGENT_READY } from './agent-ready.js';
import { ServiceSync } from './service-sync.js';

const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} ${line}\n`);

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: agent/main.js SITE_DIR\n');
  process.exit(2);
}
const paths = new SitePaths(dir);
const state = readSiteState(paths);
const sync = new ServiceSync(paths, packageVersion(), log);
sync.start();

const claims = acceptsLinks(state) ? createClaimsServer({ state, paths }, packageVersion(), log) : undefined;
if (claims === undefined) {
  log(AGENT_READY);
} else {
  const host = state.ingressHost ?? '127.0.0.1';
  claims.on('error', (error) => {
    log(`claims server failed: ${error.message}`);
    process.exit(1);
  });
  claims.listen(state.ports.claims, host, () => {
    log(`claims server listening on ${host}:${state.ports.claims}`);
    log(AGENT_READY);
  });
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    log(`stopping (${signal})`);
    sync.stop();
    claims?.close();
    claims?.closeAllConnections();
    // Nothing to wait for: leaving now beats the platform's SIGKILL after its grace period.
    process.exit(0);
  });
}
