/**
 * The agent's AMQP connection to its own router for service sync: one sender and one receiver on
 * the multicast sync address. rhea reconnects on its own (the router may restart under the agent);
 * a snapshot that finds no credit is skipped, since the next one follows within one interval.
 */
import rhea, { type Connection, type Message, type Sender } from 'rhea';
import { SYNC_ADDRESS } from '../sync/sync-messages.js';

const RECONNECT_MAX_DELAY_MS = 2_000;

export class SyncLink {
  private readonly connection: Connection;
  private readonly sender: Sender;

  constructor(port: number, containerId: string, onMessage: (message: Message) => void, log: (line: string) => void) {
    const container = rhea.create_container({ id: containerId });
    this.connection = container.connect({ host: '127.0.0.1', port, reconnect: true, max_reconnect_delay: RECONNECT_MAX_DELAY_MS });
    this.connection.on('connection_open', () => log(`connected to the router on 127.0.0.1:${port}`));
    this.connection.on('disconnected', (ctx) => log(`router connection lost: ${String(ctx.error ?? 'closed')}`));
    this.sender = this.connection.open_sender(SYNC_ADDRESS);
    const receiver = this.connection.open_receiver(SYNC_ADDRESS);
    receiver.on('message', (ctx) => {
      if (ctx.message !== undefined) onMessage(ctx.message);
    });
  }

  /** Sends the messages when the router gives credit; false when they were skipped. */
  send(messages: readonly Message[]): boolean {
    if (!this.sender.sendable()) return false;
    for (const message of messages) this.sender.send(message);
    return true;
  }

  close(): void {
    this.connection.close();
  }
}
