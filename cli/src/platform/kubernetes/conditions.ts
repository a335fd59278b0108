/**
 * Reading the status every skupper.io kind shares (reference §7.2): its conditions, and the items
 * a wait is made of — one per condition the controller sets, labelled for people.
 */
import type { Condition, Status } from '../../../../common/src/kube-api/types.js';
import type { WaitItem } from './wait.js';

export function condition(status: Status | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** The item `label`, done when condition `type` is True; its message says why not. */
export function conditionItem(status: Status | undefined, type: string, label: string): WaitItem {
  const found = condition(status, type);
  const why = found === undefined ? undefined : found.status === 'True' ? undefined : found.message || found.reason;
  return { label, done: found?.status === 'True', ...(why === undefined ? {} : { why }) };
}

/** Ready, Pending or Error as the controller says, Pending while it has said nothing. */
export function statusOf(status: Status | undefined): string {
  return status?.status ?? 'Pending';
}

/** The status message, or the first failing condition's, or what is known without a controller. */
export function messageOf(status: Status | undefined): string {
  if (status?.message) return status.message;
  const failing = status?.conditions?.find((c) => c.status !== 'True');
  return failing?.message || (status?.conditions === undefined ? 'no status yet (no controller has taken it)' : '');
}
