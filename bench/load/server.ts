/**
 * The bench's TCP server, run as its own process (forked by run.ts) so it never shares a core's
 * event loop with the load generator. Listens on 127.0.0.1:0, reports its port over IPC, and
 * serves the modes in protocol.ts. Exits when its parent disconnects.
 */
import { createServer, type Socket } from 'node:net';
import { ECHO_BYTE, MODE_PUSH, MODE_SINK, WRITE_SIZE, type ChildReport } from './protocol.js';

const pushChunk = Buffer.alloc(WRITE_SIZE, ECHO_BYTE);

function sink(socket: Socket, first: Buffer): void {
  let count = first.length - 1;
  socket.on('data', (chunk: Buffer) => (count += chunk.length));
  socket.once('end', () => {
    const answer = Buffer.alloc(8);
    answer.writeBigUInt64BE(BigInt(count));
    socket.end(answer);
  });
}

function push(socket: Socket): void {
  // Reading keeps the client's FIN visible; nothing else arrives in this mode.
  socket.resume();
  const fill = (): void => {
    while (!socket.destroyed && socket.write(pushChunk));
  };
  socket.on('drain', fill);
  socket.once('end', () => socket.destroy());
  fill();
}

function echo(socket: Socket, first: Buffer): void {
  socket.write(first);
  socket.pipe(socket);
}

const sockets = new Set<Socket>();
const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  // Clients of the bench go away abruptly (timeouts, killed generators): nothing to report.
  socket.on('error', () => socket.destroy());
  socket.once('data', (first: Buffer) => {
    if (first[0] === MODE_SINK) sink(socket, first);
    else if (first[0] === MODE_PUSH) push(socket);
    else echo(socket, first);
  });
});

server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('bench server: no address');
  const report: ChildReport = { type: 'listening', port: address.port };
  process.send?.(report);
});

process.once('disconnect', () => {
  for (const socket of sockets) socket.destroy();
  server.close();
});
