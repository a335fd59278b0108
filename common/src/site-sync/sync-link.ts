/**
 * The agent's AMQP connection to its own router for service sync: one sender and one receiver on
 * the multicast sync address. rhea reconnects on its own (the router may restart under the agent);
 * a snapshot that finds no credit is skipped, since the next one follows within one interval.
 */
import rhea, { type Connection, type Message, type Sender } from 'rhea';
import { SYNC_ADDRESS } from './sync-messages.js';

const RECONNECT_MAX_DELAY_MS = 2_000;

export class SyncLink {
  private readonly connection: Connection;
  private readonly sender: Sender;

  /** `onReady` runs at the first credit of each connection (at start, after a reconnect). */
  constructor(port: number, containerId: string, handlers: { onMessage: (message: Message) => void; onReady: () => void }, log: (line: string) => void) {
    const container = rhea.create_container({ id: containerId });
    this.connection = container.connect({ host: '127.0.0.1', port, reconnect: true, max_reconnect_delay: RECONNECT_MAX_DELAY_MS });
    let waitingForCredit = true;
    this.connection.on('connection_open', () => {
      waitingForCredit = true;
      log(`connected to the router on 127.0.0.1:${port}`);
    });
    this.connection.on('disconnected', (ctx) => log(`router connection lost: ${String(ctx.error ?? 'closed')}`));
    this.sender = this.connection.open_sender(SYNC_ADDRESS);
    this.sender.on('sendable', () => {
      if (!waitingForCredit) return;
      waitingForCredit = false;
      handlers.onReady();
    });
    const receiver = this.connection.open_receiver(SYNC_ADDRESS);
    receiver.on('message', (ctx) => {
      if (ctx.message !== undefined) handlers.onMessage(ctx.message);
    });
  }

  /** Sends the messages when the router gives credit, else drops them (the next interval sends anew). */
  send(messages: readonly Message[]): void {
    if (!this.sender.sendable()) return;
    for (const message of messages) this.sender.send(message);
  }

  close(): void {
    this.connection.close();
  }
}
