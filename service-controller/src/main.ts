/**
 * Entry point of the service-controller image (ADR 0005), the third container of every router pod:
 * the runtime's Manager (no leader election: one router pod), the registrations of
 * reconcilers/index.ts and the components of components.ts, until SIGTERM.
 *
 *   caches (own namespace) ─▶ reconcilers ─▶ Services, Listener/Connector status (API)
 *                                         └─▶ tcpListener/tcpConnector (router $management, 127.0.0.1)
 *   components: router connection (re-sync on reconnect), service sync, …
 */
import { describeError } from '../../site-controller/src/runtime/api-errors.js';
import { logFailure } from '../../common/src/errors/skiff-error.js';
import { loadKubeConfig } from '../../site-controller/src/runtime/kube-config.js';
import { Manager } from '../../site-controller/src/runtime/manager.js';
import { KubeWriter } from '../../site-controller/src/reconcilers/kube-writer.js';
import { ServiceControllerCaches } from './caches.js';
import type { Component } from './component.js';
import { components } from './components.js';
import type { ServiceControllerDeps } from './deps.js';
import { registrations } from './reconcilers/index.js';
import { RouterConnection } from './router/router-connection.js';
import { SERVICE_CONTROLLER, serviceControllerSettings } from './settings.js';

/** SIGTERM to exit: the router pod's grace period is shared with the router and the adaptor. */
const STOP_BUDGET_MS = 1500;

const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} service-controller: ${line}\n`);

process.on('unhandledRejection', (reason) => {
  // A stray rejection inside a library must not take the process down with it; say so and carry on.
  log(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});

async function run(env: Readonly<Record<string, string | undefined>>): Promise<void> {
  let manager: Manager<ReturnType<typeof serviceControllerSettings>>;
  let running: Component[] = [];
  try {
    const settings = serviceControllerSettings(env);
    const kubeConfig = loadKubeConfig(env);
    const router = new RouterConnection(settings.managementPort, `${SERVICE_CONTROLLER}-${settings.podName || settings.siteName}`, log);
    const writer = new KubeWriter(kubeConfig, SERVICE_CONTROLLER);
    let deps: ServiceControllerDeps | undefined;
    manager = new Manager({
      kubeConfig,
      settings,
      log,
      registrations: (ctx) => registrations((deps = { ctx, writer, router })),
      identity: settings.podName,
      healthPort: settings.healthPort,
      leaderElection: false,
      selection: ServiceControllerCaches,
    });
    running = [router, ...(deps ? components(deps) : [])];
    for (const component of running) await component.start();
    await manager.start();
  } catch (error) {
    process.exitCode = logFailure(error, log, (e) => `cannot start: ${describeError(e)}`);
    for (const component of running.reverse()) await component.stop();
    return;
  }
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log(`${signal}: stopping`);
  const stopping = (async () => {
    await manager.stop();
    for (const component of running.reverse()) await component.stop();
  })();
  const budget = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), STOP_BUDGET_MS).unref());
  const outcome = await Promise.race([stopping.then(() => 'done' as const), budget]);
  log(outcome === 'done' ? 'stopped' : `stopping took over ${STOP_BUDGET_MS} ms; exiting anyway`);
}

await run(process.env);
// Idle keep-alive sockets of the API client would hold the process open after a clean stop.
process.exit(process.exitCode ?? 0);
