/** Bulk transfer workloads: client→server over N streams, and server→client over one. */
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { openSocket } from './client-socket.js';
import { ECHO_BYTE, MODE_PUSH, MODE_SINK, WRITE_SIZE, type Figures } from './protocol.js';

const chunk = Buffer.alloc(WRITE_SIZE, ECHO_BYTE);

function gbps(bytes: number, ms: number): number {
  return (bytes * 8) / (ms * 1e6);
}

/** One sink stream: writes until the deadline, half-closes, and reads the server's byte count. */
async function uploadStream(port: number, deadline: number): Promise<number> {
  const socket = await openSocket(port, true);
  const answer: Buffer[] = [];
  socket.on('data', (b: Buffer) => answer.push(b));
  const ended = once(socket, 'end');
  socket.write(Buffer.of(MODE_SINK));
  while (Date.now() < deadline) {
    if (!socket.write(chunk)) await once(socket, 'drain');
  }
  socket.end();
  await ended;
  socket.destroy();
  const count = Buffer.concat(answer);
  if (count.length !== 8) throw new Error(`sink answered ${count.length} bytes instead of 8`);
  return Number(count.readBigUInt64BE());
}

/** Aggregate client→server Gbit/s: bytes the server counted over the time until its last answer. */
export async function upload(port: number, seconds: number, streams: number): Promise<Figures> {
  const start = Date.now();
  const deadline = start + seconds * 1000;
  const counts = await Promise.all(Array.from({ length: streams }, () => uploadStream(port, deadline)));
  return { gbps: gbps(counts.reduce((a, b) => a + b, 0), Date.now() - start) };
}

/** Server→client Gbit/s, counted at the client from the first byte received. */
export async function download(port: number, seconds: number): Promise<Figures> {
  const socket: Socket = await openSocket(port);
  socket.on('error', () => undefined);
  let bytes = 0;
  let first = 0;
  socket.on('data', (b: Buffer) => {
    if (first === 0) first = Date.now();
    else bytes += b.length;
  });
  socket.write(Buffer.of(MODE_PUSH));
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = Date.now() - first;
  socket.destroy();
  if (first === 0) throw new Error('no bytes arrived');
  return { gbps: gbps(bytes, elapsed) };
}
