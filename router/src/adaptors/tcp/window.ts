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
import type { Readable, Writable } from 'node:stream';
import type { DeliveryState } from '../../amqp/engine/types.js';
import type { StreamSource } from '../../core/stream.js';

export const ACK_THRESHOLD = 4072 * 16 * 8;
export const MAX_UNACKED = 2 * ACK_THRESHOLD;

/** Ingress: pauses the socket it reads while the window is full, resumes on acknowledgement. */
export class SendWindow {
  sent = 0;
  acked = 0;
  private paused = false;

  constructor(private readonly socket: Readable) {}

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

/**
 * Egress: writes a stream's bytes to the socket and acknowledges them once written. Chunks that
 * arrive in one turn of the event loop (the frames of one TLS read, say) leave in one writev: one
 * syscall and one wakeup of the reader instead of one per frame.
 */
export class AckingWriter {
  written = 0;
  private lastAck = 0;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private readonly flush = (): void => this.flushBatch();

  constructor(
    private readonly socket: Writable,
    private readonly source: StreamSource,
  ) {}

  write(chunk: Buffer): void {
    if (this.batch.length === 0) setImmediate(this.flush);
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
  }

  /** Ends the socket after everything written so far; `onFinished` runs once the FIN is sent. */
  end(onFinished: () => void): void {
    this.flushBatch();
    this.socket.end(onFinished);
  }

  private flushBatch(): void {
    const batch = this.batch;
    const bytes = this.batchBytes;
    if (batch.length === 0 || this.socket.destroyed) return;
    this.batch = [];
    this.batchBytes = 0;
    const last = batch.length - 1;
    if (last > 0) this.socket.cork();
    for (let i = 0; i < last; i++) this.socket.write(batch[i]!);
    this.socket.write(batch[last]!, () => this.onWritten(bytes));
    if (last > 0) this.socket.uncork();
  }

  private onWritten(bytes: number): void {
    this.written += bytes;
    if (this.written - this.lastAck >= ACK_THRESHOLD) {
      this.lastAck = this.written;
      this.source.update({ $type: 'received', sectionNumber: 0, sectionOffset: this.written }, false);
    }
  }
}
