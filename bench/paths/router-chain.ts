/**
 * A line of routers carrying the bench's TCP service, configured as in skupper-router:
 *
 *   client -> [A tcpListener bench-in] ==mTLS==> [B] ==mTLS==> ... [last tcpConnector bench-out] -> server
 *
 * Each router connects to the next one's inter-router listener, so routers start from the last
 * backwards. The same configs drive skiff-router and skupper-router (see router-launcher.ts).
 */
import type { ConfigEntity } from '../../test/support/router-process.js';
import type { TlsFiles } from '../../test/support/tls-files.js';
import type { BenchPath, PathContext, Relay } from './bench-path.js';
import type { LaunchedRouter, RouterLauncher } from './router-launcher.js';

const TCP_LISTENER = 'bench-in';
const INTER_ROUTER = 'inter-router';
const ADDRESS = 'bench/echo';
/** The tcpListener opens once the connector's address is reachable across the mesh (~1–2 s). */
const TCP_LISTENER_TIMEOUT_MS = 20_000;
/** A router binds its listeners within a second or two of starting, even on a busy machine. */
const LISTENER_TIMEOUT_MS = 15_000;

interface RouterPlace {
  id: string;
  tls: TlsFiles;
  serverPort: number;
  /** Inter-router listener port for every router but the first. */
  listenPort: number | undefined;
  /** Next router's inter-router port for every router but the last. */
  nextPort: number | undefined;
  /** tcpListener port on the first router. */
  tcpListenerPort: number | undefined;
  /** More attributes of the router entity (skrouterd's workerThreads). */
  router: Record<string, unknown>;
}

function routerConfig(place: RouterPlace): ConfigEntity[] {
  const entities: ConfigEntity[] = [
    ['router', { id: place.id, mode: 'interior', ...place.router }],
    ['sslProfile', { name: 'link-tls', ...place.tls }],
  ];
  if (place.listenPort !== undefined) {
    entities.push(['listener', { name: INTER_ROUTER, host: '127.0.0.1', port: place.listenPort, role: 'inter-router', sslProfile: 'link-tls', authenticatePeer: true, saslMechanisms: 'EXTERNAL' }]);
  }
  if (place.nextPort !== undefined) {
    entities.push(['connector', { name: 'to-next', host: '127.0.0.1', port: place.nextPort, role: 'inter-router', sslProfile: 'link-tls', verifyHostname: false }]);
  }
  if (place.tcpListenerPort !== undefined) {
    entities.push(['tcpListener', { name: TCP_LISTENER, host: '127.0.0.1', port: place.tcpListenerPort, address: ADDRESS }]);
  } else {
    entities.push(['tcpConnector', { name: 'bench-out', host: '127.0.0.1', port: place.serverPort, address: ADDRESS }]);
  }
  return entities;
}

/**
 * Starts `routers` routers in a line (2 = one hop) and returns the path through them; `router`
 * adds attributes to each one's router entity.
 */
export async function startRouterChain(routers: number, launcher: RouterLauncher, { serverPort, tls }: PathContext, router: Record<string, unknown> = {}): Promise<BenchPath> {
  const ids = ['A', 'B', 'C', 'D'].slice(0, routers);
  const relays: Relay[] = [];
  const notes: string[] = [];
  try {
    let nextPort: number | undefined;
    let first: LaunchedRouter | undefined;
    const port = await launcher.listenPort();
    for (let i = ids.length - 1; i >= 0; i--) {
      const id = ids[i] ?? '?';
      const listenPort = i > 0 ? await launcher.listenPort() : undefined;
      first = await launcher.launch(id, routerConfig({ id, tls, serverPort, listenPort, nextPort, tcpListenerPort: i === 0 ? port : undefined, router }));
      relays.unshift({ label: `router ${id}`, pid: first.pid });
      notes.push(...first.notes);
      // The previous router connects here next: let it find a listener rather than a refusal.
      if (listenPort !== undefined) await first.listening(listenPort, LISTENER_TIMEOUT_MS);
      nextPort = listenPort;
    }
    if (first === undefined) throw new Error('no routers');
    await first.tcpListenerReady(TCP_LISTENER, port, TCP_LISTENER_TIMEOUT_MS);
    return { port, relays, notes: [...new Set(notes)], stop: launcher.stopAll };
  } catch (error) {
    await launcher.stopAll();
    throw error;
  }
}
