/**
 * Dials a connector's peer (TCP or TLS) and keeps dialling with backoff while the connection is
 * down. The owner gets each established socket and reports when it is gone.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { logger } from '../log.js';
import type { TlsMaterial } from '../config/settings.js';
import { clientTlsOptions } from './tls-options.js';

const log = logger('CONN_MGR');

/** Retry delays after a failed or lost connection: quick first, then capped. */
const BACKOFF_MS = [250, 500, 1000, 2000, 4000];

export interface ConnectorTransportOptions {
  name: string;
  host: string;
  port: number;
  tls?: TlsMaterial;
  verifyHostname: boolean;
}

export type ConnectionStatus = 'CONNECTING' | 'SUCCESS' | 'FAILED';

export class TransportConnector {
  status: ConnectionStatus = 'CONNECTING';
  lastError = '';
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined = undefined;
  private socket: Socket | undefined = undefined;
  private stopped = false;

  constructor(
    private readonly options: ConnectorTransportOptions,
    /** A connection is up: the owner runs AMQP over it and calls `lost()` when it ends. */
    private readonly onConnected: (socket: Socket, peerCertificateVerified: boolean) => void,
  ) {}

  start(): void {
    this.dial();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.socket?.destroy();
  }

  /** The connection built on our socket has ended: dial again after a backoff delay. */
  lost(reason: string): void {
    this.socket = undefined;
    if (this.stopped) return;
    this.status = 'FAILED';
    this.lastError = reason;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt++;
    this.timer = setTimeout(() => this.dial(), delay);
    this.timer.unref();
  }

  private dial(): void {
    if (this.stopped) return;
    const o = this.options;
    this.status = 'CONNECTING';
    const socket: Socket =
      o.tls === undefined
        ? netConnect({ host: o.host, port: o.port })
        : tlsConnect(clientTlsOptions(o.host, o.port, o.verifyHostname, o.tls));
    this.socket = socket;
    const ready = o.tls === undefined ? 'connect' : 'secureConnect';
    const onError = (err: Error): void => {
      log.info(`connector ${o.name}: connection to ${o.host}:${o.port} failed: ${err.message}`);
      this.lost(err.message);
    };
    socket.once('error', onError);
    socket.once(ready, () => {
      socket.off('error', onError);
      socket.setNoDelay(true);
      this.attempt = 0;
      this.status = 'SUCCESS';
      this.lastError = '';
      this.onConnected(socket, o.tls !== undefined && (socket as TLSSocket).authorized);
    });
  }
}
