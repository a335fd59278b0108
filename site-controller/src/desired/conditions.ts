/**
 * Conditions and the summary every status carries (reference §7.2): a condition is True with reason
 * `Ready` and message `OK` (or a note, e.g. a selector that matches no pod yet), or False with reason
 * `Pending` (waiting on something that will come) or `Error` or a more precise reason of its own
 * (bad input: a person must act). `Ready` is the AND of a kind's required conditions; the status
 * message is the first failing condition's message, else the first note, else `OK`.
 */
import { ConditionType, StatusType, type Condition, type Status } from '../../../common/src/kube-api/types.js';

export const Reason = { ready: 'Ready', pending: 'Pending', error: 'Error', unsupported: 'UnsupportedFields' } as const;

/** A condition before it is stamped with a generation and a transition time. */
export interface ConditionState {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export function ok(type: string): ConditionState {
  return { type, status: 'True', reason: Reason.ready, message: 'OK' };
}

export function pending(type: string, message: string): ConditionState {
  return { type, status: 'False', reason: Reason.pending, message };
}

export function failed(type: string, message: string, reason: string = Reason.error): ConditionState {
  return { type, status: 'False', reason, message };
}

/** True, with a note a person should see (the status message carries it while nothing fails). */
export function okWithNote(type: string, reason: string, message: string): ConditionState {
  return { type, status: 'True', reason, message };
}

/** `Supported`: True, or False naming each field Skiff accepts but ignores. Never holds Ready back. */
export function supported(ignored: readonly string[]): ConditionState {
  if (ignored.length === 0) return { type: ConditionType.Supported, status: 'True', reason: 'Supported', message: 'OK' };
  return {
    type: ConditionType.Supported,
    status: 'False',
    reason: Reason.unsupported,
    message: `Skiff does not act on: ${ignored.join(', ')}`,
  };
}

/**
 * The status summary and conditions: `required` decide Ready (in order: the first failing one gives
 * the message); `extra` (e.g. Supported) are listed but do not. A condition keeps its previous
 * lastTransitionTime while its status does not change.
 */
export function summarize(
  required: readonly ConditionState[],
  extra: readonly ConditionState[],
  previous: readonly Condition[] | undefined,
  generation: number,
  now: Date,
): Required<Status> {
  const failing = required.find((c) => c.status !== 'True');
  const readyState = failing === undefined ? ok(ConditionType.Ready) : { ...failing, type: ConditionType.Ready };
  const status: StatusType = failing === undefined ? StatusType.Ready : failing.reason === Reason.pending ? StatusType.Pending : StatusType.Error;
  const note = required.find((c) => c.message !== 'OK');
  const stamp = (c: ConditionState): Condition => {
    const before = previous?.find((p) => p.type === c.type);
    const lastTransitionTime = before !== undefined && before.status === c.status ? before.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { ...c, observedGeneration: generation, lastTransitionTime };
  };
  return {
    status,
    message: failing?.message ?? note?.message ?? 'OK',
    conditions: [...required, readyState, ...extra].map(stamp),
  };
}
