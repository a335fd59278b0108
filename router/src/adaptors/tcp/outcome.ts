/**
 * When the far side of a TCP stream has given up on it. skupper-router's connector side answers
 * a backend that refuses with MODIFIED (delivery-failed) and does not settle the delivery, so an
 * outcome other than ACCEPTED ends the connection whether or not it comes settled; a settlement
 * without an outcome does too.
 */
import { isTerminal, type DeliveryState } from '../../amqp/engine/types.js';

export function streamFailed(state: DeliveryState | undefined, settled: boolean): boolean {
  if (state?.$type === 'accepted') return false;
  return settled || isTerminal(state);
}
