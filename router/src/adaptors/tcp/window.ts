/**
 * The byte window of a TCP stream (§d.7), as skupper-router sizes it: the egress side reports
 * the bytes it has written to its socket in a RECEIVED disposition every ACK_THRESHOLD bytes, and
 * the ingress side stops reading its socket while MAX_UNACKED bytes are unacknowledged.
 *
 *   ACK_THRESHOLD = 4072 B (buffer payload) × 16 buffers × 8 ring slots = 521,216 B
 *   MAX_UNACKED   = 2 × ACK_THRESHOLD                                 = 1,042,432 B
 *
 * So each direction of each stream holds at most ~1 MiB in flight across all hops.
 */
import type { Socket } from 'node:net';
import type { DeliveryState } from '../../amqp/engine/types.js';
import type { StreamSource } from '../../core/stream.js';

export const ACK_THRESHOLD = 4072 * 16 * 8;
export const MAX_UNACKED = 2 * ACK_THRESHOLD;

/** Ingress: pauses the socket it reads while the window is full, resumes on acknowledgement. */
export class SendWindow {
  sent = 0;
  acked = 0;
  private paused = false;

  constructor(private readonly socket: Socket) {}

  /** Counts bytes read from the socket and sent on; pauses reading when the window is full. */
  onSent(bytes: number): void {
    this.sent += bytes;
    if (!this.paused && this.sent - this.acked >= MAX_UNACKED) {
      this.paused = true;
      this.socket.pause();
    }
  }

  /** Applies a RECEIVED offset from the far end. */
  onAck(state: DeliveryState | undefined): void {
    if (state?.$type !== 'received') return;
    this.acked = Math.max(this.acked, Number(state.sectionOffset));
    if (this.paused && this.sent - this.acked < MAX_UNACKED) {
      this.paused = false;
      this.socket.resume();
    }
  }
}

/** Egress: writes a stream's bytes to the socket and acknowledges them once written. */
export class AckingWriter {
  written = 0;
  private lastAck = 0;

  constructor(
    private readonly socket: Socket,
    private readonly source: StreamSource,
  ) {}

  write(chunk: Buffer): void {
    const length = chunk.length;
    this.socket.write(chunk, () => {
      this.written += length;
      if (this.written - this.lastAck >= ACK_THRESHOLD) {
        this.lastAck = this.written;
        this.source.update({ $type: 'received', sectionNumber: 0, sectionOffset: this.written }, false);
      }
    });
  }
}
