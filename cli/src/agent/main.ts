/**
 * The site agent: a small process that runs next to a site's router and serves what the router does
 * not, today the claims server (Skupper runs it in the config-sync sidecar). Usage:
 * `node agent/main.js SITE_DIR`; the local platform starts and stops it with the router.
 */
import { readFileSync } from 'node:fs';
import { createClaimsServer } from '../claims/claims-server.js';
import { skiffVersion } from '../install-root.js';
import { SitePaths } from '../site/site-paths.js';
import type { SiteState } from '../site/site-state.js';
import { AGENT_READY } from './agent-ready.js';

const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} ${line}\n`);

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: agent/main.js SITE_DIR\n');
  process.exit(2);
}
const paths = new SitePaths(dir);
const state = JSON.parse(readFileSync(paths.state, 'utf8')) as SiteState;
const host = state.ingressHost ?? '127.0.0.1';
const server = createClaimsServer({ state, paths }, skiffVersion(), log);
server.on('error', (error) => {
  log(`claims server failed: ${error.message}`);
  process.exit(1);
});
server.listen(state.ports.claims, host, () => {
  log(`claims server listening on ${host}:${state.ports.claims}`);
  log(AGENT_READY);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    log(`stopping (${signal})`);
    server.close();
    server.closeAllConnections();
  });
}
