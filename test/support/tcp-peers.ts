/**
 * TCP servers and clients for adaptor tests: an echo server, and a client that sends bytes,
 * half-closes, and checks what comes back by sha256.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface EchoServer {
  server: Server;
  port: number;
  connections: number;
  close: () => Promise<void>;
}

/** An echo server on 127.0.0.1 that half-closes after echoing everything once the client does. */
export async function startEchoServer(port = 0): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address !== null ? address.port : port,
    get connections() {
      return state.connections;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Sends `size` random bytes to host:port in chunks, half-closes, and collects the reply until the
 * server closes. Resolves with the sent and received digests and byte counts.
 */
export async function echoThrough(port: number, size: number, timeoutMs = 60_000): Promise<{ sent: string; received: string; receivedBytes: number }> {
  const payload = randomBytes(size);
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  const hash = createHash('sha256');
  let receivedBytes = 0;
  socket.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    receivedBytes += chunk.length;
  });
  const timer = setTimeout(() => socket.destroy(new Error(`echo of ${size} bytes timed out after ${timeoutMs} ms (got ${receivedBytes})`)), timeoutMs);
  await once(socket, 'connect');
  const chunk = 64 * 1024;
  for (let offset = 0; offset < size; offset += chunk) {
    if (!socket.write(payload.subarray(offset, Math.min(size, offset + chunk)))) await once(socket, 'drain');
  }
  socket.end();
  await new Promise<void>((resolve, reject) => {
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  clearTimeout(timer);
  return { sent: sha256(payload), received: hash.digest('hex'), receivedBytes };
}

/** A port nothing listens on now (bound once, then closed). */
export async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Resolves 'connected' or the connect error's code (e.g. ECONNREFUSED). */
export async function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}
