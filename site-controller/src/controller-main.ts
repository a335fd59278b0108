/**
 * The site-controller process: settings from the environment, the Manager, and a clean stop on
 * SIGTERM (Lease released, watches closed) well inside Kubernetes' grace period.
 */
import { Env } from '../../common/src/kube-api/names.js';
import { describeError } from './runtime/api-errors.js';
import type { ControllerContext, ReconcilerRegistration } from './runtime/context.js';
import { logFailure } from '../../common/src/errors/skiff-error.js';
import { controllerSettings, healthPort, loadKubeConfig } from './runtime/kube-config.js';
import { defaultIdentity } from './runtime/leader-election.js';
import { Manager } from './runtime/manager.js';

/** SIGTERM to exit: the Lease release and the watches' close must fit in this, under 2 s. */
const STOP_BUDGET_MS = 1500;

function controllerLog(line: string): void {
  process.stdout.write(`${new Date().toISOString()} site-controller: ${line}\n`);
}

/** Runs until SIGTERM or SIGINT; a start it cannot make is logged with its hint, and sets the exit code of its code. */
export async function runController(
  registrations: (context: ControllerContext) => ReconcilerRegistration[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<void> {
  const log = controllerLog;
  let manager: Manager;
  try {
    const settings = controllerSettings(env);
    const port = healthPort(env);
    manager = new Manager({ kubeConfig: loadKubeConfig(env), settings, log, registrations, identity: defaultIdentity(env), healthPort: port });
    await manager.start();
  } catch (error) {
    process.exitCode = logFailure(error, log, (e) => `cannot start: ${describeError(e)}`);
    return;
  }
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log(`${signal}: stopping (identity ${defaultIdentity(env)}, ${Env.podNamespace}=${env[Env.podNamespace] ?? ''})`);
  const budget = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), STOP_BUDGET_MS).unref());
  const outcome = await Promise.race([manager.stop().then(() => 'done' as const), budget]);
  log(outcome === 'done' ? 'stopped' : `stopping took over ${STOP_BUDGET_MS} ms; exiting anyway`);
}
