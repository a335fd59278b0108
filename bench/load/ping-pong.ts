/** Round-trip time of 1-byte ping-pong over one connection, as p50 and p99 in microseconds. */
import { openSocket, roundTrip } from './client-socket.js';
import { ECHO_BYTE, type Figures } from './protocol.js';
import { percentile } from '../stats.js';

const probe = Buffer.of(ECHO_BYTE);
/** Bounds the loop in count as well as time; also the size of the sample array. */
const MAX_SAMPLES = 2_000_000;
/** First round trips warm up the JIT and the relays' buffers; they are not recorded. */
const WARMUP = 200;

export async function pingPong(port: number, seconds: number): Promise<Figures> {
  const socket = await openSocket(port);
  try {
    for (let i = 0; i < WARMUP; i++) await roundTrip(socket, probe);
    const samples: number[] = [];
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline && samples.length < MAX_SAMPLES) {
      const t0 = process.hrtime.bigint();
      await roundTrip(socket, probe);
      samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    samples.sort((a, b) => a - b);
    return { p50Us: percentile(samples, 0.5), p99Us: percentile(samples, 0.99), samples: samples.length };
  } finally {
    socket.destroy();
  }
}
