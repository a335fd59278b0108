/** (e) A skupper-router (skrouterd) pair configured like Skiff's one hop. */
import type { PathSpec } from './bench-path.js';
import { startRouterChain } from './router-chain.js';
import { routerLauncher } from './router-launcher.js';

export function skupperPath(binary: string): PathSpec {
  return {
    id: 'e',
    title: 'skupper-router 1 hop',
    start: (context) => startRouterChain(2, routerLauncher({ name: 'skrouterd', command: (configPath) => ({ file: binary, args: ['-c', configPath] }) }), context),
  };
}
