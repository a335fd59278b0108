/**
 * The adaptor's management connection to the router beside it (127.0.0.1, pod-local): made when
 * first needed, made again after the router restarts. Connection state changes are logged as
 * `from -> to`, once each, not at every retry.
 */
import { AmqpManagement } from '../../../common/src/amqp-management.js';

const CONNECT_TIMEOUT_MS = 5_000;

export class RouterSession {
  private client: AmqpManagement | undefined = undefined;
  private connecting: Promise<AmqpManagement> | undefined = undefined;
  private state: 'unknown' | 'connected' | 'unreachable' = 'unknown';

  constructor(
    private readonly port: number,
    private readonly containerId: string,
    private readonly log: (line: string) => void,
  ) {}

  /** The open client, connecting first when there is none; rejects while the router is down. */
  get(): Promise<AmqpManagement> {
    if (this.client?.open === true) return Promise.resolve(this.client);
    if (this.client !== undefined) this.transition('unreachable', 'connection lost');
    this.client = undefined;
    this.connecting ??= AmqpManagement.connect({ port: this.port, containerId: this.containerId, timeoutMs: CONNECT_TIMEOUT_MS })
      .then((client) => {
        this.client = client;
        this.transition('connected', `127.0.0.1:${this.port}`);
        return client;
      }, (error: unknown) => {
        this.transition('unreachable', error instanceof Error ? error.message : String(error));
        throw error;
      })
      .finally(() => {
        this.connecting = undefined;
      });
    return this.connecting;
  }

  /** Reports that a request failed on a lost connection, so the next `get` reconnects. */
  lost(why: string): void {
    if (this.client?.open !== false) return;
    this.transition('unreachable', why);
    this.client = undefined;
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }

  private transition(to: 'connected' | 'unreachable', detail: string): void {
    if (this.state === to) return;
    this.log(`router management: ${this.state} -> ${to} (${detail})`);
    this.state = to;
  }
}
