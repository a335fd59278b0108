/** (c) and (d): skiff-router processes in a line, started with test/support's startRouter. */
import { raiseOpenFiles } from '../children.js';
import { startRouter, type RouterProcess } from '../../test/support/router-process.js';
import type { PathSpec } from './bench-path.js';
import { startRouterChain, type RouterLauncher } from './router-chain.js';

function skiffLauncher(): RouterLauncher {
  const started: RouterProcess[] = [];
  return {
    // skiff-router logs the ports it bound, so the OS may choose them.
    listenPort: async () => 0,
    launch: async (id, entities) => {
      const router = await startRouter(id, entities);
      started.push(router);
      const pid = router.process.pid ?? 0;
      const note = await raiseOpenFiles(pid);
      return {
        pid,
        notes: note === undefined ? [] : [note],
        listenerPort: (name) => {
          const port = router.ports.get(name);
          if (port === undefined) throw new Error(`router ${id}: listener ${name} logged no port`);
          return port;
        },
        tcpListenerReady: async (name, _configured, timeoutMs) => {
          const line = await router.waitForLog(new RegExp(`tcpListener ${name} listening on \\S+:\\d+`), timeoutMs);
          return Number(/:(\d+)/.exec(line.slice(line.indexOf('listening on')))?.[1]);
        },
      };
    },
    stopAll: async () => void (await Promise.all(started.splice(0).map((r) => r.stop()))),
  };
}

export function skiffPath(hops: 1 | 2): PathSpec {
  return {
    id: hops === 1 ? 'c' : 'd',
    title: `Skiff ${hops} hop${hops === 1 ? '' : 's'}`,
    start: (context) => startRouterChain(hops + 1, skiffLauncher(), context),
  };
}
