/**
 * The management connection to the router beside the service-controller (127.0.0.1, pod-local),
 * kept up: checked every second, made again after the router restarts, and announced each time it
 * is (re)made, since a restarted router has none of the bridges (ADR 0005: re-sync on reconnect).
 */
import type { AmqpManagement } from '../../../common/src/amqp-management.js';
import { RouterSession } from '../../../site-controller/src/adaptor/router-session.js';
import type { Component } from '../component.js';

const CHECK_MS = 1_000;

export class RouterConnection implements Component {
  readonly name = 'router connection';
  private readonly session: RouterSession;
  private readonly listeners = new Set<() => void>();
  private current: AmqpManagement | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;

  constructor(port: number, containerId: string, log: (line: string) => void) {
    this.session = new RouterSession(port, containerId, log);
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), CHECK_MS);
    void this.check();
  }

  stop(): void {
    clearInterval(this.timer);
    this.session.close();
  }

  /** The open management client; rejects while the router does not answer. */
  async get(): Promise<AmqpManagement> {
    const client = await this.session.get();
    this.noticed(client);
    return client;
  }

  /** Reports a request that failed on a lost connection, so the next `get` reconnects. */
  lost(why: string): void {
    this.session.lost(why);
  }

  /** Calls `listener` whenever a new connection is made; returns the way to stop. */
  onConnected(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async check(): Promise<void> {
    try {
      await this.get();
    } catch {
      // The session logs the state change once; the next check tries again.
    }
  }

  private noticed(client: AmqpManagement): void {
    if (client === this.current) return;
    this.current = client;
    for (const listener of this.listeners) listener();
  }
}
