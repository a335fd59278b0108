/**
 * Accepts transport connections for an AMQP listener: plain TCP, TLS (optionally requiring a client
 * certificate that chains to the profile's CA), and AMQP over WebSocket on http listeners.
 * Every refusal is logged with the peer's address and the reason; the listener keeps serving.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { logger } from '../log.js';
import type { TlsMaterial } from '../config/settings.js';
import { secureContextOptions } from './tls-options.js';

const log = logger('SERVER');

export interface AcceptedTransport {
  socket: Duplex;
  peer: string;
  /** The peer's certificate chained to our CA (TLS with a client certificate). */
  peerCertificateVerified: boolean;
  /** Subject CN of the peer certificate, when there is one. */
  peerIdentity: string | undefined;
  transport: 'tcp' | 'tls' | 'websocket';
}

export interface ListenerTransportOptions {
  name: string;
  host: string;
  port: number;
  tls?: TlsMaterial;
  authenticatePeer: boolean;
  /** Serve HTTP (health, metrics) and AMQP over WebSocket on this port instead of raw AMQP. */
  http?: { handler: (req: IncomingMessage, res: ServerResponse) => void; websockets: boolean };
}

export class TransportListener {
  private server: Server | HttpServer | undefined = undefined;

  constructor(
    private readonly options: ListenerTransportOptions,
    private readonly onAccept: (transport: AcceptedTransport) => void,
  ) {}

  /** Starts listening; resolves with the bound port (useful with port 0). */
  async start(): Promise<number> {
    const o = this.options;
    const server = o.http !== undefined ? this.httpServer() : this.amqpServer();
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host === '' ? undefined : o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err: Error) => log.error(`listener ${o.name}: ${err.message}`));
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : o.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private amqpServer(): Server {
    const o = this.options;
    if (o.tls === undefined) {
      return createNetServer((socket) => {
        socket.setNoDelay(true);
        this.onAccept({ socket, peer: peerOf(socket), peerCertificateVerified: false, peerIdentity: undefined, transport: 'tcp' });
      });
    }
    // A tls.Server that never listens does the handshakes (it enforces the client certificate);
    // raw sockets are handed to it from a plain server so that a refusal can be logged with the
    // peer's address, which the TLS socket no longer knows by the time its handshake has failed.
    const peers = new WeakMap<Socket, string>();
    const tlsServer = createTlsServer(
      { ...secureContextOptions(o.tls), requestCert: o.authenticatePeer, rejectUnauthorized: o.authenticatePeer },
      (socket) => this.acceptTls(socket, peers.get(parentOf(socket)) ?? peerOf(socket)),
    );
    tlsServer.on('tlsClientError', (err: Error, socket: TLSSocket) => {
      const peer = peers.get(parentOf(socket)) ?? '?';
      const why = socket.authorizationError !== undefined && socket.authorizationError !== null ? `client certificate not trusted (${String(socket.authorizationError)})` : err.message;
      log.warning(`listener ${o.name}: refused connection from ${peer}: TLS handshake failed: ${why}`);
    });
    return createNetServer((raw) => {
      peers.set(raw, peerOf(raw));
      raw.setNoDelay(true);
      tlsServer.emit('connection', raw);
    });
  }

  private acceptTls(socket: TLSSocket, peer: string): void {
    const cert = socket.getPeerCertificate();
    const cn = cert !== null && typeof cert === 'object' && 'subject' in cert ? cert.subject?.CN : undefined;
    this.onAccept({
      socket,
      peer,
      peerCertificateVerified: socket.authorized,
      peerIdentity: Array.isArray(cn) ? cn[0] : cn,
      transport: 'tls',
    });
  }

  private httpServer(): HttpServer {
    const o = this.options;
    const http = o.http!;
    const server = o.tls === undefined
      ? createHttpServer(http.handler)
      : createHttpsServer({ ...secureContextOptions(o.tls), requestCert: o.authenticatePeer, rejectUnauthorized: o.authenticatePeer }, http.handler);
    // Peers by raw socket: a request refused after its client went away is still logged with it.
    const peers = new WeakMap<Socket, string>();
    server.on('connection', (socket: Socket) => peers.set(socket, peerOf(socket)));
    const refuse = (socket: Socket, why: string): void => {
      log.warning(`listener ${o.name}: refused connection from ${peers.get(parentOf(socket as TLSSocket)) ?? peerOf(socket)}: ${why}`);
      if (socket.writable) socket.write('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      socket.destroy();
    };
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      // A client that reset its connection was not refused: it left.
      if (err.code === 'ECONNRESET') socket.destroy();
      else refuse(socket, `bad HTTP request (${err.code ?? err.message})`);
    });
    if (http.websockets) {
      const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('amqp') ? 'amqp' : false) });
      wss.on('wsClientError', (err: Error, socket: Socket) => refuse(socket, `WebSocket upgrade refused: ${err.message}`));
      server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
        wss.handleUpgrade(req, socket, head, (ws) => {
          const stream = createWebSocketStream(ws);
          const tlsSocket = socket as Partial<TLSSocket>;
          this.onAccept({
            socket: stream,
            peer: peerOf(socket),
            peerCertificateVerified: tlsSocket.authorized === true,
            peerIdentity: undefined,
            transport: 'websocket',
          });
        });
      });
    }
    return server;
  }
}

/** The plain socket under a TLS socket (Node keeps it as `_parent`). */
function parentOf(socket: TLSSocket): Socket {
  return (socket as unknown as { _parent?: Socket })._parent ?? socket;
}

export function peerOf(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}
