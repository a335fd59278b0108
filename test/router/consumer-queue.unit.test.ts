import { describe, expect, it } from 'vitest';
import { Delivery } from '../../router/src/amqp/engine/delivery.js';
import type { Link } from '../../router/src/amqp/engine/link.js';
import { ConsumerQueue, type WaitingMessage } from '../../router/src/core/consumer-queue.js';
import { LINK_CAPACITY } from '../../router/src/core/producer-credit.js';

/** A waiting message numbered `n`; unsettled ones carry an inbound delivery (the queue only looks at whether there is one). */
function message(n: number, unsettled = false): WaitingMessage {
  return { bytes: Buffer.from([n & 0xff, n >> 8]), inbound: unsettled ? new Delivery(undefined as unknown as Link, n, Buffer.alloc(0), 0) : undefined };
}

const numbers = (queue: ConsumerQueue): number[] => queue.takeAll().map((m) => m.bytes[0]! | (m.bytes[1]! << 8));

describe('consumer queue - what waits for a consumer without credit', () => {
  it('keeps up to a link capacity of pre-settled messages, in order', () => {
    const queue = new ConsumerQueue();
    for (let n = 0; n < LINK_CAPACITY; n++) expect(queue.push(message(n))).toBe(0);
    expect(queue.length).toBe(LINK_CAPACITY);
    expect(queue.shift()?.bytes[0]).toBe(0);
  });

  it('drops the pre-settled messages waiting when a pre-settled one comes to a full queue, and counts them', () => {
    const queue = new ConsumerQueue();
    for (let n = 0; n < LINK_CAPACITY; n++) queue.push(message(n));
    expect(queue.push(message(LINK_CAPACITY))).toBe(LINK_CAPACITY);
    expect(queue.droppedPresettled).toBe(LINK_CAPACITY);
    expect(numbers(queue)).toEqual([LINK_CAPACITY]);
  });

  it('never drops unsettled messages: they are bounded by their producers, and their outcome is owed', () => {
    const queue = new ConsumerQueue();
    for (let n = 0; n < LINK_CAPACITY; n++) queue.push(message(n, n % 2 === 0));
    expect(queue.push(message(1000, true))).toBe(0);
    expect(queue.push(message(1001))).toBe(LINK_CAPACITY / 2);
    expect(numbers(queue)).toEqual([...Array.from({ length: LINK_CAPACITY / 2 }, (_, i) => 2 * i), 1000, 1001]);
    expect(queue.droppedPresettled).toBe(LINK_CAPACITY / 2);
  });
});
