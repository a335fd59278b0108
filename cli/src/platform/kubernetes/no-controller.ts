/**
 * The CLI creates CRs and the controller answers in their status. An object still without any
 * status after a grace period means no controller watches the namespace: say how to install one.
 */
import { CliError, ErrorCode } from '../../errors.js';
import { formatSeconds } from './wait.js';

/** How long an object may stay without status before the CLI says no controller serves it. */
export const CONTROLLER_GRACE_MS = 20_000;

/** The NO_CONTROLLER error once `what` has waited out the grace (or the whole timeout, if shorter) untaken. */
export function noControllerYet(what: string, namespace: string, taken: boolean, elapsedMs: number, timeoutMs: number): CliError | undefined {
  if (taken || elapsedMs < Math.min(CONTROLLER_GRACE_MS, timeoutMs)) return undefined;
  return new CliError(
    ErrorCode.SKIFF_ERR_NO_CONTROLLER,
    `no controller has answered for ${what} in namespace ${namespace} after ${formatSeconds(elapsedMs)} (it is created and waits for one)`,
    `install the controller there: helm install skiff charts/skiff -n ${namespace} (or add ${namespace} to an installed controller's watchNamespaces)`,
  );
}

/** Whether a controller has written any status condition yet. */
export function taken(status: { conditions?: unknown[] } | undefined): boolean {
  return (status?.conditions?.length ?? 0) > 0;
}
