/**
 * tcpConnector (connector side, §d.4): makes its address consumed network-wide, and for each
 * stream that arrives dials the server, writes the stream's bytes to it, and streams the
 * server's bytes back to the stream's reply-to address.
 *
 *   stream in ──▶ AckingWriter ──▶ server socket        (RECEIVED acks flow back to the client side)
 *   server socket ──▶ SendWindow ──▶ reply stream out   (paused while 1 MiB is unacknowledged)
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { TcpConnectorSettings, TlsMaterial } from '../../config/settings.js';
import type { StreamEndpoint } from '../../core/forwarding-tables.js';
import type { Router } from '../../core/router.js';
import type { StreamSink, StreamSource } from '../../core/stream.js';
import type { DeliveryState } from '../../amqp/engine/types.js';
import { logger } from '../../log.js';
import { clientTlsOptions } from '../../transport/tls-options.js';
import { TcpCounters } from './counters.js';
import { streamFailed } from './outcome.js';
import type { StreamHead } from '../../core/stream-head.js';
import { AckingWriter, SendWindow } from './window.js';

const log = logger('TCP_ADAPTOR');

export class TcpConnectorAdaptor implements StreamEndpoint {
  readonly counters = new TcpCounters();
  private readonly flows = new Set<EgressFlow>();
  private nextId = 1;

  constructor(
    private readonly router: Router,
    readonly settings: TcpConnectorSettings,
    private readonly tls: TlsMaterial | undefined,
  ) {}

  get openStreams(): number {
    return this.flows.size;
  }

  get key(): `M${string}` {
    return `M${this.settings.address}`;
  }

  start(): void {
    this.router.addStreamEndpoint(this.key, this);
  }

  /** Stops taking streams; with `dropConnections`, closes the live ones too (skupper's default). */
  stop(dropConnections: boolean): void {
    this.router.removeStreamEndpoint(this.key, this);
    if (dropConnections) for (const flow of [...this.flows]) flow.close('tcpConnector deleted');
  }

  accept(head: StreamHead, source: StreamSource): StreamSink | undefined {
    if (head.replyTo === undefined) {
      source.update({ $type: 'rejected', error: { condition: 'amqp:invalid-field', description: 'stream has no reply-to' } }, true);
      return undefined;
    }
    const flow = new EgressFlow(this, `${this.settings.name}/${this.nextId++}`, head, source, this.dial());
    this.flows.add(flow);
    this.counters.connectionsOpened++;
    return flow;
  }

  private dial(): Socket {
    const s = this.settings;
    if (this.tls === undefined) return netConnect({ host: s.host, port: s.port, allowHalfOpen: true });
    return tlsConnect({ ...clientTlsOptions(s.host, s.port, s.verifyHostname, this.tls), allowHalfOpen: true } as ConnectionOptions);
  }

  /** Opens the reply stream back to the client side. */
  openReply(head: StreamHead, source: StreamSource): StreamSink | undefined {
    return this.router.openStream(head, source);
  }

  closed(flow: EgressFlow): void {
    if (this.flows.delete(flow)) this.counters.connectionsClosed++;
  }
}

/** One TCP connection to the server, carrying one stream each way. */
class EgressFlow implements StreamSink {
  private connected = false;
  private pending: Buffer[] = [];
  private inboundEnded = false;
  private serverEnded = false;
  private done = false;
  private readonly writer: AckingWriter;
  private readonly window: SendWindow;
  private reply: StreamSink | undefined = undefined;

  constructor(
    private readonly adaptor: TcpConnectorAdaptor,
    private readonly id: string,
    private readonly head: StreamHead,
    private readonly source: StreamSource,
    private readonly socket: Socket,
  ) {
    this.writer = new AckingWriter(socket, source);
    this.window = new SendWindow(socket);
    socket.setNoDelay(true);
    socket.once(adaptor.settings.sslProfile === undefined ? 'connect' : 'secureConnect', () => this.onConnected());
    socket.on('data', (chunk: Buffer) => this.onServerData(chunk));
    socket.on('end', () => this.onServerEnd());
    socket.on('error', (err: Error) => this.fail(err.message));
    socket.on('close', () => this.onClosed());
  }

  private onConnected(): void {
    this.connected = true;
    this.openReply();
    if (this.done) return;
    for (const chunk of this.pending) this.writeServer(chunk);
    this.pending = [];
    if (this.inboundEnded) this.finishInbound();
  }

  /**
   * The reply stream opens as soon as the server accepts, before it sends anything: the listener
   * side (skupper-router's included) reads nothing from its client until this stream arrives, so
   * waiting for the server's first bytes would hang every protocol where the client speaks first.
   */
  private openReply(): void {
    if (this.done) return;
    const replySource: StreamSource = { update: (state, settled) => this.onReplyUpdate(state, settled) };
    this.reply = this.adaptor.openReply({ to: this.head.replyTo!, ...(this.head.alpn === undefined ? {} : { alpn: this.head.alpn }) }, replySource);
    if (this.reply === undefined) this.fail('the reply address is unreachable');
  }

  private onServerData(chunk: Buffer): void {
    this.adaptor.counters.bytesIn += chunk.length;
    this.window.onSent(chunk.length);
    this.reply?.write([chunk]);
  }

  private onServerEnd(): void {
    this.serverEnded = true;
    this.reply?.end();
  }

  private onReplyUpdate(state: DeliveryState | undefined, settled: boolean): void {
    this.window.onAck(state);
    if (streamFailed(state, settled)) this.close(`reply stream ended with ${state?.$type ?? 'no outcome'}`);
  }

  private writeServer(chunk: Buffer): void {
    this.adaptor.counters.bytesOut += chunk.length;
    this.writer.write(chunk);
  }

  // StreamSink: the client's bytes.
  write(chunks: readonly Buffer[]): void {
    if (this.done) return;
    for (const chunk of chunks) {
      if (this.connected) this.writeServer(chunk);
      else this.pending.push(chunk);
    }
  }

  end(): void {
    this.inboundEnded = true;
    if (this.connected) this.finishInbound();
  }

  /** Half-close: the server sees FIN once every byte is written; the stream is then settled. */
  private finishInbound(): void {
    this.writer.end(() => this.source.update({ $type: 'accepted' }, true));
  }

  abort(): void {
    this.close('the client side aborted the stream');
  }

  private fail(reason: string): void {
    if (this.done) return;
    log.info(`[${this.id}] connection to ${this.adaptor.settings.host}:${this.adaptor.settings.port} failed: ${reason}`);
    this.close(reason);
  }

  close(reason: string): void {
    if (this.done) return;
    this.done = true;
    log.debug(`[${this.id}] closing: ${reason}`);
    if (!this.inboundEnded) this.source.update({ $type: 'modified', deliveryFailed: true }, true);
    if (!this.serverEnded) this.reply?.abort();
    this.socket.destroy();
  }

  private onClosed(): void {
    if (!this.done) {
      this.done = true;
      if (!this.inboundEnded) this.source.update({ $type: 'modified', deliveryFailed: true }, true);
      if (!this.serverEnded) this.reply?.abort();
    }
    this.adaptor.closed(this);
  }
}
