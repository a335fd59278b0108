/**
 * (e) A skupper-router (skrouterd) pair configured like Skiff's one hop, with workerThreads equal
 * to the machine's cores: its default of 4 runs slower on a 2-core machine, which would flatter
 * Skiff.
 */
import { availableParallelism } from 'node:os';
import type { PathSpec } from './bench-path.js';
import { startRouterChain } from './router-chain.js';
import { routerLauncher } from './router-launcher.js';

export function skupperPath(binary: string): PathSpec {
  const workerThreads = availableParallelism();
  return {
    id: 'e',
    title: 'skupper-router 1 hop',
    start: async (context) => {
      const path = await startRouterChain(2, routerLauncher({ name: 'skrouterd', command: (configPath) => ({ file: binary, args: ['-c', configPath] }) }), context, { workerThreads });
      return { ...path, notes: [...path.notes, `workerThreads ${workerThreads} (the machine's cores)`] };
    },
  };
}
