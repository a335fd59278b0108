/**
 * The byte window of a TCP stream (adaptors/tcp/window.ts), on in-memory streams: the ingress
 * side stops reading at MAX_UNACKED unacknowledged bytes and resumes on a RECEIVED offset; the
 * egress side writes what arrives in one turn as one batch and acknowledges every ACK_THRESHOLD.
 */
import { PassThrough, Writable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ACK_THRESHOLD, AckingWriter, MAX_UNACKED, SendWindow } from '../../router/src/adaptors/tcp/window.js';
import type { DeliveryState } from '../../router/src/amqp/engine/types.js';

const received = (offset: number): DeliveryState => ({ $type: 'received', sectionNumber: 0, sectionOffset: offset });

describe('tcp window - ingress', () => {
  it('pauses reading once MAX_UNACKED bytes are unacknowledged and resumes when an ack makes room', () => {
    const socket = new PassThrough();
    socket.resume();
    const window = new SendWindow(socket);
    window.onSent(MAX_UNACKED - 1);
    expect(socket.isPaused()).toBe(false);
    window.onSent(1);
    expect(socket.isPaused()).toBe(true);
    window.onAck({ $type: 'accepted' }); // only RECEIVED offsets count
    window.onAck(received(0));
    expect(socket.isPaused()).toBe(true);
    window.onAck(received(1));
    expect(socket.isPaused()).toBe(false);
    window.onAck(received(0)); // an older offset never shrinks what was acknowledged
    expect(window.acked).toBe(1);
  });
});

describe('tcp window - egress', () => {
  function sink() {
    const batches: number[][] = [];
    const socket = new Writable({
      writev(chunks, done) {
        batches.push(chunks.map((c) => (c.chunk as Buffer).length));
        done();
      },
      write(chunk: Buffer, _encoding, done) {
        batches.push([chunk.length]);
        done();
      },
    });
    const acks: number[] = [];
    const settled: DeliveryState[] = [];
    const source = { update: (state: DeliveryState | undefined, final: boolean) => (final ? settled.push(state!) : acks.push(Number((state as { sectionOffset: number }).sectionOffset))) };
    return { socket, batches, acks, settled, writer: new AckingWriter(socket, source) };
  }

  it('writes the chunks of one turn as one batch, and acks each ACK_THRESHOLD bytes written', async () => {
    const s = sink();
    const chunk = Buffer.alloc(ACK_THRESHOLD / 4);
    for (let i = 0; i < 3; i++) s.writer.write(chunk);
    await tick();
    await tick();
    expect(s.batches).toEqual([[chunk.length, chunk.length, chunk.length]]);
    expect(s.acks).toEqual([]);
    s.writer.write(chunk);
    s.writer.write(Buffer.alloc(10));
    await tick();
    await tick();
    expect(s.acks).toEqual([ACK_THRESHOLD + 10]);
    expect(s.writer.written).toBe(ACK_THRESHOLD + 10);
  });

  it('ends the socket after what was written, then runs its callback', async () => {
    const s = sink();
    s.writer.write(Buffer.alloc(5));
    let finished = false;
    s.writer.end(() => (finished = true));
    await new Promise((resolve) => s.socket.on('finish', resolve));
    expect(s.batches.flat()).toEqual([5]);
    await tick();
    expect(finished).toBe(true);
  });
});
