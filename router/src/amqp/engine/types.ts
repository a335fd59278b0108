import type { CompositeValue } from '../codec/composites.js';
import type { AmqpMap } from '../codec/values.js';

/** AMQP error conditions the engine and router raise. */
export const Condition = {
  internalError: 'amqp:internal-error',
  notFound: 'amqp:not-found',
  unauthorizedAccess: 'amqp:unauthorized-access',
  decodeError: 'amqp:decode-error',
  resourceLimitExceeded: 'amqp:resource-limit-exceeded',
  notAllowed: 'amqp:not-allowed',
  invalidField: 'amqp:invalid-field',
  notImplemented: 'amqp:not-implemented',
  framingError: 'amqp:connection:framing-error',
  connectionForced: 'amqp:connection:forced',
  detachForced: 'amqp:link:detach-forced',
  linkRedirect: 'amqp:link:redirect',
} as const;

export interface AmqpError {
  condition: string;
  description?: string;
  info?: AmqpMap;
}

/** A source or target terminus as decoded from an attach (see codec/composites.ts). */
export interface Terminus {
  address?: string;
  dynamic?: boolean;
  dynamicNodeProperties?: AmqpMap;
  capabilities?: string[];
  distributionMode?: string;
  durable?: number;
  expiryPolicy?: string;
  timeout?: number;
  filter?: AmqpMap;
  defaultOutcome?: unknown;
  outcomes?: string[];
}

/** Delivery outcomes and states (part 3, 3.4). */
export type DeliveryState =
  | { $type: 'accepted' }
  | { $type: 'released' }
  | { $type: 'rejected'; error?: AmqpError }
  | { $type: 'modified'; deliveryFailed?: boolean; undeliverableHere?: boolean; messageAnnotations?: AmqpMap }
  | { $type: 'received'; sectionNumber: number; sectionOffset: number };

export const Accepted: DeliveryState = { $type: 'accepted' };
export const Released: DeliveryState = { $type: 'released' };

export function asTerminus(value: unknown): Terminus | undefined {
  if (typeof value !== 'object' || value === null || !('$type' in value)) return undefined;
  const { $type: _t, ...rest } = value as CompositeValue;
  return rest as Terminus;
}

export function asDeliveryState(value: unknown): DeliveryState | undefined {
  if (typeof value !== 'object' || value === null || !('$type' in value)) return undefined;
  const t = (value as CompositeValue).$type;
  if (t === 'accepted' || t === 'released' || t === 'rejected' || t === 'modified' || t === 'received') {
    return value as DeliveryState;
  }
  return undefined;
}

export function asError(value: unknown): AmqpError | undefined {
  if (typeof value !== 'object' || value === null || !('condition' in value)) return undefined;
  return value as AmqpError;
}

/** True for the outcomes that end a delivery (everything but `received`). */
export function isTerminal(state: DeliveryState | undefined): boolean {
  return state !== undefined && state.$type !== 'received';
}
