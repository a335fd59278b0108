/**
 * One end of the two-process Node TLS tunnel, what a user would run instead of Skiff:
 *
 *   client --tcp--> [entry] ==mutual TLS 1.3==> [exit] --tcp--> server
 *
 * Run as a child process: argv = role ('entry' | 'exit'), target port, TLS files as JSON.
 * Listens on 127.0.0.1:0 and reports its port over IPC. Plain `pipe()` both ways with half-close
 * kept open, as a careful user would write it.
 */
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, createServer as createTcpServer, type Socket } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer, type ConnectionOptions, type SecureContextOptions } from 'node:tls';
import type { ChildReport } from '../load/protocol.js';
import type { TlsFiles } from '../../test/support/tls-files.js';

const [role, targetText, tlsText] = process.argv.slice(2);
const target = Number(targetText);
const files = JSON.parse(tlsText ?? '{}') as TlsFiles;
const secure: SecureContextOptions = {
  ca: readFileSync(files.caCertFile),
  cert: readFileSync(files.certFile),
  key: readFileSync(files.privateKeyFile),
  minVersion: 'TLSv1.3',
};

function splice(a: Socket, b: Socket): void {
  a.setNoDelay(true);
  b.setNoDelay(true);
  a.pipe(b);
  b.pipe(a);
  // Only errors tear down the twin: a clean close arrives through pipe() as end-of-stream, and
  // destroying on 'close' could drop bytes the twin still has to flush.
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
}

// tls.connect passes allowHalfOpen on to its socket, but @types/node does not declare it; without
// it the client side would end its writes as soon as the server's FIN arrives.
const clientOptions: ConnectionOptions & { allowHalfOpen: boolean } = { ...secure, host: '127.0.0.1', port: target, allowHalfOpen: true, servername: 'localhost' };

const server =
  role === 'entry'
    ? createTcpServer({ allowHalfOpen: true }, (client) => splice(client, tlsConnect(clientOptions)))
    : createTlsServer({ ...secure, requestCert: true, rejectUnauthorized: true, allowHalfOpen: true }, (peer) =>
        splice(peer, tcpConnect({ host: '127.0.0.1', port: target, allowHalfOpen: true })),
      );

server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('tunnel: no address');
  const report: ChildReport = { type: 'listening', port: address.port };
  process.send?.(report);
});
process.once('disconnect', () => server.close());
