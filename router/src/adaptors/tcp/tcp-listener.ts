/**
 * tcpListener (listener side, §d.2–d.3): listens only while some connector for its address is
 * reachable (as skupper-router's address watch does), and turns each accepted client into a
 * stream to the address with a reply-to of this router, on which the server's bytes come back.
 *
 *   client socket ──▶ SendWindow ──▶ stream to address           (acks resume the socket)
 *   reply stream ──▶ AckingWriter ──▶ client socket              (acks go back to the server side)
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { TcpListenerSettings, TlsMaterial } from '../../config/settings.js';
import type { StreamEndpoint } from '../../core/forwarding-tables.js';
import type { Router } from '../../core/router.js';
import type { StreamSink, StreamSource } from '../../core/stream.js';
import type { DeliveryState } from '../../amqp/engine/types.js';
import { logger } from '../../log.js';
import { secureContextOptions } from '../../transport/tls-options.js';
import { TcpCounters } from './counters.js';
import { streamFailed } from './outcome.js';
import type { StreamHead } from '../../core/stream-head.js';
import { AckingWriter, SendWindow } from './window.js';

const log = logger('TCP_ADAPTOR');
/** Delay before trying again to listen on a port that was taken. */
const LISTEN_RETRY_MS = 1000;
/** How long a closed-by-us client may take to close its side before it is reset. */
const LINGER_MS = 2000;
/**
 * Reply addresses: unique within this router process (a counter), and across its restarts (a
 * random prefix), without drawing random bytes for every connection.
 */
const REPLY_PREFIX = randomBytes(6).toString('base64url');
let replyCount = 0;

export type OperStatus = 'up' | 'down';

export class TcpListenerAdaptor {
  readonly counters = new TcpCounters();
  private server: Server | undefined = undefined;
  private opening: Promise<void> | undefined = undefined;
  private readonly flows = new Set<IngressFlow>();
  private readonly watch = (): void => this.reconcile();
  private stopped = false;
  private nextId = 1;
  port = 0;

  constructor(
    readonly router: Router,
    readonly settings: TcpListenerSettings,
    private readonly tls: TlsMaterial | undefined,
  ) {}

  get operStatus(): OperStatus {
    return this.server === undefined ? 'down' : 'up';
  }

  start(): void {
    this.router.routabilityWatchers.add(this.watch);
    this.reconcile();
  }

  stop(dropConnections: boolean): void {
    this.stopped = true;
    this.router.routabilityWatchers.delete(this.watch);
    this.close();
    if (dropConnections) for (const flow of [...this.flows]) flow.close('tcpListener deleted');
  }

  /** Opens the port when the address is reachable, closes it when it is not. */
  private reconcile(): void {
    const reachable = !this.stopped && this.router.isRoutable(this.settings.address);
    if (reachable && this.server === undefined && this.opening === undefined) {
      this.opening = this.open().finally(() => {
        // A failed listen (port taken) is tried again a second later, from a timer: retrying at
        // once would spin on microtasks and starve the event loop.
        const retry = setTimeout(() => {
          this.opening = undefined;
          this.reconcile();
        }, this.server === undefined ? LISTEN_RETRY_MS : 0);
        retry.unref();
      });
    } else if (!reachable && this.server !== undefined && this.opening === undefined) {
      this.close();
    }
  }

  private async open(): Promise<void> {
    const s = this.settings;
    const server =
      this.tls === undefined
        ? createServer({ allowHalfOpen: true }, (socket) => this.accept(socket))
        : createTlsServer({ ...secureContextOptions(this.tls), allowHalfOpen: true, requestCert: s.authenticatePeer, rejectUnauthorized: s.authenticatePeer }, (socket: TLSSocket) =>
            this.accept(socket),
          );
    server.on('tlsClientError', (err: Error) => log.info(`tcpListener ${s.name}: TLS handshake with a client failed: ${err.message}`));
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', (err: Error) => {
        log.error(`tcpListener ${s.name}: cannot listen on ${s.host || '0.0.0.0'}:${s.port}: ${err.message}`);
        resolve(false);
      });
      server.listen({ port: s.port, host: s.host === '' ? undefined : s.host, backlog: s.backlog > 0 ? s.backlog : 4096 }, () => resolve(true));
    });
    if (!listening) return;
    if (this.stopped) {
      // Deleted while the port was being opened.
      server.close();
      return;
    }
    const address = server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : s.port;
    this.server = server;
    log.info(`tcpListener ${s.name} listening on ${s.host || '0.0.0.0'}:${this.port} for ${s.address} (up)`);
  }

  /** Stops accepting at once (server.close's callback would wait for every client to leave). */
  private close(): void {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    log.info(`tcpListener ${this.settings.name}: ${this.stopped ? 'deleted' : `no reachable connector for ${this.settings.address}`}, port closed (down)`);
    server.close();
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const flow = new IngressFlow(this, `${this.settings.name}/${this.nextId++}`, socket);
    this.flows.add(flow);
    this.counters.connectionsOpened++;
    flow.start();
  }

  closed(flow: IngressFlow): void {
    if (this.flows.delete(flow)) this.counters.connectionsClosed++;
  }
}

/** One client connection: a stream to the service, and the reply stream back on a local address. */
class IngressFlow implements StreamEndpoint {
  private forward: StreamSink | undefined = undefined;
  private readonly window: SendWindow;
  private writer: AckingWriter | undefined = undefined;
  private replySource: StreamSource | undefined = undefined;
  private readonly replyKey: `L${string}`;
  private readonly replyTo: string;
  private clientEnded = false;
  private replyEnded = false;
  private done = false;

  constructor(
    private readonly adaptor: TcpListenerAdaptor,
    private readonly id: string,
    private readonly socket: Socket,
  ) {
    const name = `temp.${REPLY_PREFIX}${(replyCount++).toString(36)}`;
    this.replyKey = `L${name}`;
    this.replyTo = adaptor.router.dynamicAddress(name);
    this.window = new SendWindow(socket);
  }

  get openStreams(): number {
    return 0;
  }

  start(): void {
    const router = this.adaptor.router;
    router.addStreamEndpoint(this.replyKey, this);
    const source: StreamSource = { update: (state, settled) => this.onForwardUpdate(state, settled) };
    this.forward = router.openStream({ to: this.adaptor.settings.address, replyTo: this.replyTo, correlationId: this.id }, source);
    if (this.forward === undefined) {
      this.close('no reachable connector');
      return;
    }
    this.socket.on('data', (chunk: Buffer) => {
      this.adaptor.counters.bytesIn += chunk.length;
      this.window.onSent(chunk.length);
      this.forward?.write([chunk]);
    });
    this.socket.on('end', () => {
      this.clientEnded = true;
      this.forward?.end();
    });
    this.socket.on('error', (err: Error) => log.debug(`[${this.id}] client socket: ${err.message}`));
    this.socket.on('close', () => this.close('client closed'));
    // Nothing is read from the client until the server side's reply stream arrives (as
    // skupper-router's listener side waits for its counter-stream): bytes sent before the far
    // router has routed the stream pile up in its message buffers, and a skupper-router
    // connector side then writes only the first 16 buffers of them before half-closing.
    this.socket.pause();
  }

  private onForwardUpdate(state: DeliveryState | undefined, settled: boolean): void {
    this.window.onAck(state);
    // The server could not be reached (or went away): the client's connection ends at once.
    if (streamFailed(state, settled)) this.close(`stream ended with ${state?.$type ?? 'no outcome'}`);
  }

  /** The reply stream from the server side arrived: its bytes go to the client. */
  accept(_head: StreamHead, source: StreamSource): StreamSink | undefined {
    if (this.writer !== undefined || this.done) return undefined;
    this.writer = new AckingWriter(this.socket, source);
    this.replySource = source;
    this.socket.resume();
    const writer = this.writer;
    return {
      write: (chunks) => {
        for (const chunk of chunks) {
          this.adaptor.counters.bytesOut += chunk.length;
          writer.write(chunk);
        }
      },
      end: () => {
        this.replyEnded = true;
        writer.end(() => source.update({ $type: 'accepted' }, true));
      },
      abort: () => this.close('the server side aborted the stream'),
    };
  }

  close(reason: string): void {
    if (this.done) return;
    this.done = true;
    log.debug(`[${this.id}] closing: ${reason}`);
    this.adaptor.router.removeStreamEndpoint(this.replyKey, this);
    if (!this.clientEnded) this.forward?.abort();
    if (!this.replyEnded) this.replySource?.update({ $type: 'modified', deliveryFailed: true }, true);
    // A clean FIN, as skupper-router gives: discard what the client still sends (unread bytes
    // would turn the close into a reset), end, and destroy only if the client lingers.
    if (!this.socket.destroyed) {
      this.socket.resume();
      this.socket.end();
      setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
    }
    this.adaptor.closed(this);
  }
}
