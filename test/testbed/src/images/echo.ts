/**
 * Test image skiff-testbed/echo: a TCP server that writes back what it reads, prefixed once
 * per connection by "<pod name>: " so a test can tell which pod answered. PORT default 9090.
 */
import { createServer } from 'node:net';

const podName = process.env['POD_NAME'] ?? process.env['HOSTNAME'] ?? 'unknown';
const port = Number(process.env['PORT'] ?? 9090);

const server = createServer((socket) => {
  socket.write(`${podName}: `);
  socket.pipe(socket);
  socket.on('error', () => socket.destroy());
});
server.listen(port, () => console.log(`echo ${podName} listening on ${port}`));
process.on('SIGTERM', () => {
  console.log(`echo ${podName} got SIGTERM`);
  process.exit(0);
});
