/**
 * An AMQP 1.0 connection over any byte stream (TCP, TLS, WebSocket): protocol headers, SASL,
 * open/close, heartbeats, and dispatch of frames to sessions.
 *
 *   socket ──data──▶ FrameReader ──frames──▶ Connection ──▶ Session ──▶ Link ──▶ owner callbacks
 *   owner ──▶ Link/Session ──▶ FrameWriter ──corked writes──▶ socket
 *
 * Sections: construction and lifecycle; header and SASL negotiation; frame dispatch; timers.
 */
import type { Duplex } from 'node:stream';
import { AmqpDecodeError } from '../../errors.js';
import { logger } from '../../log.js';
import { decodeFrameBody, type CompositeValue } from '../codec/composites.js';
import { AMQP_HEADER, FrameReader, FrameType, MIN_MAX_FRAME_SIZE, SASL_HEADER } from '../codec/frames.js';
import type { AmqpMap } from '../codec/values.js';
import { FrameWriter } from './frame-writer.js';
import { checkMechanism, chooseMechanism, SaslOutcomeCode, type SaslClientConfig, type SaslServerConfig } from './sasl.js';
import { Listeners } from './listeners.js';
import { Session } from './session.js';
import { CONNECTION_TICKER, type Ticker } from './ticker.js';
import { asError, Condition, type AmqpError } from './types.js';

const log = logger('SERVER');

export interface ConnectionOptions {
  role: 'client' | 'server';
  containerId: string;
  hostname?: string;
  /** Largest frame we accept. */
  maxFrameSize?: number;
  channelMax?: number;
  /** Our idle timeout: the peer must send something at least this often. 0 = none. */
  idleTimeoutMs?: number;
  properties?: AmqpMap;
  offeredCapabilities?: string[];
  desiredCapabilities?: string[];
  /** Server: SASL settings, or undefined to accept plain AMQP only. */
  saslServer?: SaslServerConfig;
  /** Server: refuse clients that skip SASL. */
  requireSasl?: boolean;
  /** Client: SASL settings, or undefined to open without SASL. */
  saslClient?: SaslClientConfig;
  /** Log prefix, e.g. "[C7]". */
  logId: string;
  /** Drives idle timeouts and heartbeats (each period) and says what time it is; shared by default. */
  ticker?: Ticker;
  /** Peer address for logs. */
  peer: string;
}

type Phase = 'header' | 'sasl' | 'amqp-header' | 'open' | 'closed';

export class Connection {
  readonly writer: FrameWriter;
  private readonly reader: FrameReader;
  private phase: Phase = 'header';
  private readonly sessions = new Map<number, Session>();
  private readonly remoteSessions = new Map<number, Session>();
  remoteOpen: CompositeValue | undefined = undefined;
  /** The largest frame the peer accepts (512 until its open says otherwise). */
  remoteMaxFrameSize = MIN_MAX_FRAME_SIZE;
  private openSent = false;
  private closeSent = false;
  private gone = false;
  /** Cleared once the socket is gone: a pending timer would keep the whole connection alive. */
  private hangUpTimer: NodeJS.Timeout | undefined;
  /**
   * We refused or failed the peer, and logged why: whatever else it sends is dropped unread (a
   * stream of bad frames is one refusal, not a log line per frame).
   */
  private refusedOrFailed = false;
  private readonly ticker: Ticker;
  private readonly onTick = (): void => this.onTimer();
  private lastReceived: number;
  private lastBytesOut = 0;
  private remoteIdleMs = 0;
  /** SASL mechanism the peer used (server) or we used (client). */
  saslMechanism: string | undefined = undefined;
  closeError: AmqpError | undefined = undefined;
  /** The peer's open arrived (a server answers with its own open right after the listeners). */
  readonly opened = new Listeners<[Connection]>();
  /** The peer began a session; its one owner sets the session's `onRemoteAttach` here. */
  onSessionBegun: ((session: Session) => void) | undefined = undefined;
  /** Once, when the connection is gone (closed by either side, or the socket died). */
  readonly closed = new Listeners<[Connection, AmqpError | undefined]>();
  context: unknown = undefined;
  /** When the peer's open arrived, and when a delivery last began either way (management). */
  openedAt: number | undefined = undefined;
  lastDeliveryAt: number | undefined = undefined;

  constructor(
    readonly socket: Duplex,
    readonly options: ConnectionOptions,
  ) {
    this.ticker = options.ticker ?? CONNECTION_TICKER;
    this.lastReceived = this.ticker.now();
    this.writer = new FrameWriter(socket);
    this.reader = new FrameReader({
      onProtocolHeader: (h) => this.onProtocolHeader(h),
      onFrame: (type, channel, body, tail) => this.onFrame(type, channel, body, tail),
    });
    this.reader.maxFrameSize = options.maxFrameSize ?? 0xffffffff;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: Error) => this.onSocketGone(`socket error: ${err.message}`));
    socket.on('close', () => this.onSocketGone('socket closed'));
    socket.on('end', () => this.onSocketGone('peer closed the connection'));
    if (options.role === 'client') this.writer.raw(options.saslClient === undefined ? AMQP_HEADER : SASL_HEADER);
    if (options.role === 'client' && options.saslClient !== undefined) this.writer.hold();
    if (options.role === 'client' && options.saslClient === undefined) {
      this.phase = 'amqp-header';
      this.sendOpen();
    }
    this.ticker.add(this.onTick);
  }

  get logId(): string {
    return this.options.logId;
  }

  /** We refused or failed the peer and logged why: its close needs no line of its own. */
  get failed(): boolean {
    return this.refusedOrFailed;
  }

  get isOpen(): boolean {
    return this.phase === 'open' && !this.gone;
  }

  /** The sessions open on this connection (management lists their links). */
  allSessions(): Iterable<Session> {
    return this.sessions.values();
  }

  /** Begins a session we initiate. */
  beginSession(): Session {
    const session = new Session(this, this.allocateChannel());
    this.sessions.set(session.channel, session);
    session.sendBegin();
    return session;
  }

  private allocateChannel(): number {
    let ch = 0;
    while (this.sessions.has(ch)) ch++;
    return ch;
  }

  /** Closes the connection politely: a close frame, then the socket ends. */
  close(error?: AmqpError): void {
    if (this.gone) return;
    if (!this.closeSent && this.phase === 'open') {
      this.closeSent = true;
      this.writer.frame(FrameType.amqp, 0, 'close', { error });
    }
    this.closeError ??= error;
    this.hangUp();
  }

  /** Ends the socket; a peer that never closes its side must not hold it open. */
  private hangUp(): void {
    this.socket.end();
    this.hangUpTimer ??= setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  /** A protocol violation by the peer: log it (once), tell the peer why, and close. */
  fail(condition: string, description: string): void {
    if (this.refusedOrFailed) return;
    this.refusedOrFailed = true;
    log.warning(`${this.logId} closing connection from ${this.options.peer}: ${description}`);
    this.close({ condition, description });
  }

  /** Refuses the peer before its connection opened: logs why (once) and hangs up. */
  private refuse(why: string): void {
    this.refusedOrFailed = true;
    log.warning(`${this.logId} refused connection from ${this.options.peer}: ${why}`);
    this.hangUp();
  }

  private sendOpen(): void {
    if (this.openSent) return;
    this.openSent = true;
    const o = this.options;
    this.writer.frame(FrameType.amqp, 0, 'open', {
      containerId: o.containerId,
      hostname: o.hostname,
      maxFrameSize: o.maxFrameSize,
      channelMax: o.channelMax ?? 32767,
      // Advertise half our timeout, as Proton does, so the peer's heartbeats arrive in good time.
      idleTimeOut: o.idleTimeoutMs !== undefined && o.idleTimeoutMs > 0 ? Math.floor(o.idleTimeoutMs / 2) : undefined,
      offeredCapabilities: o.offeredCapabilities,
      desiredCapabilities: o.desiredCapabilities,
      properties: o.properties,
    });
  }

  // ---- bytes in ------------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    if (this.gone || this.refusedOrFailed) return;
    this.lastReceived = this.ticker.now();
    try {
      this.reader.push(chunk);
    } catch (err) {
      if (err instanceof AmqpDecodeError) this.fail(Condition.framingError, err.message);
      else this.fail(Condition.internalError, `internal error: ${(err as Error).message}`);
    }
  }

  private onProtocolHeader(header: Buffer): void {
    if (this.refusedOrFailed) return;
    if (header.readUInt32BE(0) !== 0x414d5150 || header[5] !== 1 || header[6] !== 0) {
      this.writer.raw(AMQP_HEADER);
      this.refuse(`not an AMQP 1.0 protocol header (${header.toString('hex')})`);
      return;
    }
    const protocolId = header[4];
    if (this.options.role === 'client') return this.onServerHeader(protocolId);
    if (protocolId === 3 && this.options.saslServer !== undefined && this.phase === 'header') {
      this.writer.raw(SASL_HEADER);
      this.writer.frame(FrameType.sasl, 0, 'saslMechanisms', { saslServerMechanisms: [...this.options.saslServer.mechanisms] });
      this.phase = 'sasl';
      return;
    }
    if (protocolId === 0 && (this.phase === 'amqp-header' || (this.phase === 'header' && this.options.requireSasl !== true))) {
      this.writer.raw(AMQP_HEADER);
      this.phase = 'open';
      return;
    }
    this.writer.raw(this.options.saslServer !== undefined ? SASL_HEADER : AMQP_HEADER);
    this.refuse(protocolId === 0 ? 'SASL authentication is required' : `protocol id ${String(protocolId)} is not supported here`);
  }

  /** Client: the server's header arrived (SASL first, then AMQP). */
  private onServerHeader(protocolId: number | undefined): void {
    if (protocolId === 3 && this.phase === 'header') {
      this.phase = 'sasl';
      return;
    }
    if (protocolId === 0 && this.phase === 'amqp-header') {
      this.phase = 'open';
      return;
    }
    this.fail(Condition.framingError, `unexpected protocol header (id ${String(protocolId)}) from the server`);
  }

  private onFrame(type: number, channel: number, body: Buffer, tail: readonly Buffer[]): void {
    if (this.refusedOrFailed || (body.length === 0 && tail.length === 0)) return; // refused, or a heartbeat
    const { performative: p, payload, tail: payloadTail } = decodeFrameBody(body, tail);
    if (type === FrameType.sasl) return this.onSaslFrame(p);
    if (this.phase !== 'open' && !(this.phase === 'amqp-header' && this.options.role === 'client')) {
      this.fail(Condition.framingError, `${p.$type} frame before the AMQP header exchange finished`);
      return;
    }
    if (p.$type === 'open') return this.onOpen(p);
    if (p.$type === 'close') return this.onClose(p);
    if (this.remoteOpen === undefined) {
      this.fail(Condition.framingError, `${p.$type} frame before open`);
      return;
    }
    if (p.$type === 'begin') return this.onBegin(channel, p);
    const session = this.remoteSessions.get(channel);
    if (session === undefined) {
      this.fail(Condition.framingError, `${p.$type} on channel ${channel}, which has no session`);
      return;
    }
    switch (p.$type) {
      case 'attach':
        return session.onAttach(p);
      case 'flow':
        return session.onFlow(p);
      case 'transfer':
        return session.onTransfer(p, payload, payloadTail);
      case 'disposition':
        return session.onDisposition(p);
      case 'detach':
        return session.onDetach(p);
      case 'end':
        this.remoteSessions.delete(channel);
        this.sessions.delete(session.channel);
        return session.onEnd(asError(p.error), !session.ended);
      default:
        this.fail(Condition.framingError, `unexpected ${p.$type} frame`);
    }
  }

  private onSaslFrame(p: CompositeValue): void {
    const o = this.options;
    if (p.$type === 'sasl-init' && o.saslServer !== undefined && this.phase === 'sasl') {
      const mechanism = String(p.mechanism);
      const refusal = checkMechanism(o.saslServer, mechanism);
      this.writer.frame(FrameType.sasl, 0, 'saslOutcome', { code: refusal === undefined ? SaslOutcomeCode.ok : SaslOutcomeCode.auth });
      if (refusal !== undefined) {
        this.refuse(`SASL ${refusal}`);
        return;
      }
      this.saslMechanism = mechanism;
      this.phase = 'amqp-header';
      this.reader.expectProtocolHeader();
      return;
    }
    if (p.$type === 'sasl-mechanisms' && o.saslClient !== undefined && this.phase === 'sasl') {
      const offered = (p.saslServerMechanisms as string[] | undefined) ?? [];
      const mechanism = chooseMechanism(o.saslClient, offered);
      if (mechanism === undefined) {
        this.fail(Condition.unauthorizedAccess, `server offers SASL ${offered.join(' ')}, none of which we can use`);
        return;
      }
      this.saslMechanism = mechanism;
      this.writer.frame(FrameType.sasl, 0, 'saslInit', { mechanism, initialResponse: Buffer.alloc(0) });
      return;
    }
    if (p.$type === 'sasl-outcome' && o.saslClient !== undefined && this.phase === 'sasl') {
      if (p.code !== SaslOutcomeCode.ok) {
        this.closeError = { condition: Condition.unauthorizedAccess, description: `SASL ${String(this.saslMechanism)} refused by the server (code ${String(p.code)})` };
        this.socket.end();
        return;
      }
      this.phase = 'amqp-header';
      this.reader.expectProtocolHeader();
      this.writer.release(() => {
        this.writer.raw(AMQP_HEADER);
        this.sendOpen();
      });
      return;
    }
    this.fail(Condition.framingError, `unexpected SASL frame ${p.$type}`);
  }

  private onOpen(p: CompositeValue): void {
    if (this.remoteOpen !== undefined) {
      this.fail(Condition.framingError, 'second open frame');
      return;
    }
    this.remoteOpen = p;
    this.openedAt = Date.now();
    const max = (p.maxFrameSize as number | undefined) ?? 0xffffffff;
    this.remoteMaxFrameSize = Math.max(MIN_MAX_FRAME_SIZE, Math.min(max, 1024 * 1024));
    this.remoteIdleMs = (p.idleTimeOut as number | undefined) ?? 0;
    this.opened.emit(this);
    if (this.options.role === 'server') this.sendOpen();
  }

  private onClose(p: CompositeValue): void {
    this.closeError = asError(p.error);
    if (!this.closeSent && this.phase === 'open') {
      this.closeSent = true;
      this.writer.frame(FrameType.amqp, 0, 'close', {});
    }
    this.socket.end();
  }

  private onBegin(channel: number, p: CompositeValue): void {
    const ours = p.remoteChannel as number | undefined;
    let session = ours === undefined ? undefined : this.sessions.get(ours);
    if (session !== undefined) {
      session.remoteChannel = channel;
      session.onBegin(p);
      this.remoteSessions.set(channel, session);
      return;
    }
    session = new Session(this, this.allocateChannel());
    session.remoteChannel = channel;
    session.onBegin(p);
    this.sessions.set(session.channel, session);
    this.remoteSessions.set(channel, session);
    session.sendBegin();
    this.onSessionBegun?.(session);
  }

  // ---- timers and teardown ---------------------------------------------------------------

  private onTimer(): void {
    const now = this.ticker.now();
    const idle = this.options.idleTimeoutMs ?? 0;
    if (idle > 0 && this.phase === 'open' && now - this.lastReceived > idle) {
      this.fail(Condition.resourceLimitExceeded, `nothing received for ${idle} ms (idle timeout)`);
      return;
    }
    // Heartbeat at a quarter of the peer's timeout (we tick once a second, so stay well inside it).
    if (this.remoteIdleMs > 0 && this.phase === 'open' && this.writer.bytesOut === this.lastBytesOut) {
      this.writer.heartbeat();
    }
    this.lastBytesOut = this.writer.bytesOut;
  }

  private onSocketGone(reason: string): void {
    if (this.gone) return;
    this.gone = true;
    this.phase = 'closed';
    this.ticker.delete(this.onTick);
    clearTimeout(this.hangUpTimer);
    const error = this.closeError ?? (reason === 'socket closed' ? undefined : { condition: Condition.connectionForced, description: reason });
    for (const session of this.sessions.values()) session.onEnd(error, false);
    this.sessions.clear();
    this.remoteSessions.clear();
    this.socket.destroy();
    this.closed.emit(this, error);
  }
}
