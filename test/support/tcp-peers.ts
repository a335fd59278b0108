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

export type EchoOutcome = 'intact' | 'failed' | 'corrupt';

export interface EchoResult {
  /**
   * intact: every byte came back and the digests match; failed: a socket error, or the reply
   * ended short with only bytes that match what was sent; corrupt: a byte came back that was not
   * sent at its offset (or more bytes than were sent).
   */
  outcome: EchoOutcome;
  size: number;
  receivedBytes: number;
  /** sha256 of the bytes sent and of the bytes received. */
  sent: string;
  received: string;
  /** The socket's error (its code, e.g. ECONNRESET), if it had one. */
  error: string | undefined;
  /** What went wrong in words: the socket error, a short reply, or where the bytes differ. */
  problem: string | undefined;
}

/** One client connection of an echo: its progress while it runs, its result when it is over. */
export interface EchoStream {
  readonly receivedBytes: number;
  readonly settled: boolean;
  readonly result: Promise<EchoResult>;
  destroy: () => void;
}

export interface EchoStreamOptions {
  /** Destroy the connection (reported failed) when it runs longer. */
  timeoutMs?: number;
  /** Keep at most this many bytes sent and not yet echoed (a stream that lasts many round trips). */
  window?: number;
}

/**
 * Sends `size` random bytes to host:port in chunks of at most 64 KiB (with backpressure),
 * half-closes, and checks each byte that comes back against the byte sent at its offset. When
 * the far side ends first, the client stops sending and ends too.
 */
export function startEchoStream(port: number, size: number, options: EchoStreamOptions = {}): EchoStream {
  const { timeoutMs, window = Infinity } = options;
  const payload = randomBytes(size);
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  const hash = createHash('sha256');
  const state = { receivedBytes: 0, settled: false, error: undefined as string | undefined, corrupt: undefined as string | undefined };
  let written = 0;
  const pump = (): void => {
    while (written < size && !socket.writableEnded) {
      const end = Math.min(size, written + 64 * 1024, state.receivedBytes + window);
      if (end <= written || socket.writableNeedDrain) return;
      const more = socket.write(payload.subarray(written, end));
      written = end;
      if (!more) return;
    }
    if (!socket.writableEnded) socket.end();
  };
  socket.on('data', (chunk: Buffer) => {
    const at = state.receivedBytes;
    state.receivedBytes += chunk.length;
    hash.update(chunk);
    if (state.corrupt === undefined && (state.receivedBytes > size || !chunk.equals(payload.subarray(at, at + chunk.length)))) {
      state.corrupt = `wrong bytes at offset ${at}..${state.receivedBytes} of ${size}`;
    }
    if (written < size) pump();
  });
  socket.once('connect', pump);
  socket.on('drain', pump);
  // The far side ended its half: nothing more will be echoed, so ours ends too (a short reply).
  socket.on('end', () => void (socket.writableEnded || socket.end()));
  socket.on('error', (err: NodeJS.ErrnoException) => (state.error ??= err.code ?? err.message));
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => socket.destroy(new Error(`echo of ${size} bytes timed out after ${timeoutMs} ms (got ${state.receivedBytes})`)), timeoutMs);
  const result = new Promise<EchoResult>((resolve) =>
    socket.once('close', () => {
      clearTimeout(timer);
      state.settled = true;
      const received = hash.digest('hex');
      const sent = sha256(payload);
      const short = state.receivedBytes < size ? `reply ended after ${state.receivedBytes} of ${size} bytes` : undefined;
      const outcome: EchoOutcome = state.corrupt !== undefined ? 'corrupt' : state.error === undefined && short === undefined && received === sent ? 'intact' : 'failed';
      resolve({ outcome, size, receivedBytes: state.receivedBytes, sent, received, error: state.error, problem: state.corrupt ?? state.error ?? short });
    }),
  );
  return {
    get receivedBytes() {
      return state.receivedBytes;
    },
    get settled() {
      return state.settled;
    },
    result,
    destroy: () => socket.destroy(),
  };
}

/** How many echoes ended each way. */
export function tallyEchoes(results: readonly EchoResult[]): Record<EchoOutcome, number> {
  const counts = { intact: 0, failed: 0, corrupt: 0 };
  for (const r of results) counts[r.outcome]++;
  return counts;
}

/**
 * Echoes `size` random bytes through host:port (see startEchoStream). Resolves with the sent and
 * received digests and byte counts; rejects on a socket error or the timeout.
 */
export async function echoThrough(port: number, size: number, timeoutMs = 60_000): Promise<{ sent: string; received: string; receivedBytes: number }> {
  const r = await startEchoStream(port, size, { timeoutMs }).result;
  if (r.error !== undefined) throw new Error(r.error);
  return { sent: r.sent, received: r.received, receivedBytes: r.receivedBytes };
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
