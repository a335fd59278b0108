/** (c) and (d): skiff-router processes in a line. */
import { SKIFF_ROUTER_BIN } from '../repo-paths.js';
import type { PathSpec } from './bench-path.js';
import { startRouterChain } from './router-chain.js';
import { routerLauncher, type RouterBinary } from './router-launcher.js';

const skiffRouter: RouterBinary = {
  name: 'skiff-router',
  command: (configPath) => ({ file: process.execPath, args: [SKIFF_ROUTER_BIN, '--config', configPath] }),
  // Logged once the connector's address is reachable, which is when the port opens.
  readyLine: (name) => new RegExp(`tcpListener ${name} listening on \\S+:\\d+`),
};

export function skiffPath(hops: 1 | 2): PathSpec {
  return {
    id: hops === 1 ? 'c' : 'd',
    title: `Skiff ${hops} hop${hops === 1 ? '' : 's'}`,
    start: (context) => startRouterChain(hops + 1, routerLauncher(skiffRouter), context),
  };
}
