/**
 * A TCP proxy that records every byte each side sends, then splits the bytes into protocol
 * headers and frames — how the skupper-router fixtures were recorded, so Skiff's own frames can
 * be compared with them.
 */
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

export type Direction = 'connector->listener' | 'listener->connector';

export interface RecordedUnit {
  dir: Direction;
  kind: 'protocol-header' | 'frame';
  /** Frame type (0 AMQP, 1 SASL) and channel; the body after the frame header. */
  type: number;
  channel: number;
  body: Buffer;
}

export interface RecordingProxy {
  port: number;
  /** Every connection's units, in arrival order per direction. */
  connections: () => RecordedUnit[][];
  close: () => Promise<void>;
}

export async function startRecordingProxy(upstreamPort: number): Promise<RecordingProxy> {
  const recorded: Array<{ c2l: Buffer[]; l2c: Buffer[] }> = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    const entry = { c2l: [] as Buffer[], l2c: [] as Buffer[] };
    recorded.push(entry);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (d: Buffer) => {
      entry.c2l.push(d);
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      entry.l2c.push(d);
      client.write(d);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    connections: () =>
      recorded.map((e) => [...split(Buffer.concat(e.c2l), 'connector->listener'), ...split(Buffer.concat(e.l2c), 'listener->connector')]),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Splits a byte stream into headers ("AMQP" + 4 bytes) and frames (size-prefixed). */
export function split(bytes: Buffer, dir: Direction): RecordedUnit[] {
  const units: RecordedUnit[] = [];
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    if (bytes.toString('latin1', offset, offset + 4) === 'AMQP') {
      units.push({ dir, kind: 'protocol-header', type: bytes[offset + 4]!, channel: 0, body: bytes.subarray(offset, offset + 8) });
      offset += 8;
      continue;
    }
    const size = bytes.readUInt32BE(offset);
    if (size < 8 || offset + size > bytes.length) break;
    const doff = bytes[offset + 4]! * 4;
    units.push({ dir, kind: 'frame', type: bytes[offset + 5]!, channel: bytes.readUInt16BE(offset + 6), body: bytes.subarray(offset + doff, offset + size) });
    offset += size;
  }
  return units;
}
