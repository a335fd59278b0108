/**
 * AMQP clients for router tests, over rhea: a receiver that collects message bodies, and a
 * sender that waits for credit (the router grants it once the address is routable) and reports
 * each delivery's outcome.
 */
import rhea, { type Connection } from 'rhea';

const open = new Set<Connection>();

function connect(port: number, id: string): Connection {
  const connection = rhea.create_container({ id }).connect({ host: '127.0.0.1', port, reconnect: false });
  open.add(connection);
  connection.on('disconnected', () => open.delete(connection));
  return connection;
}

/** Closes every client connection the tests opened. */
export function closeAllClients(): void {
  for (const c of open) c.close();
  open.clear();
}

export interface CollectingReceiver {
  bodies: unknown[];
  /** Resolves once attached (the router has seen the consumer). */
  ready: Promise<void>;
  close: () => void;
}

export function receive(port: number, address: string): CollectingReceiver {
  const connection = connect(port, `receiver-${address}-${Math.random().toString(36).slice(2)}`);
  const bodies: unknown[] = [];
  const receiver = connection.open_receiver(address);
  receiver.on('message', (ctx) => bodies.push(ctx.message?.body));
  return {
    bodies,
    ready: new Promise((resolve) => receiver.once('receiver_open', () => resolve())),
    close: () => connection.close(),
  };
}

export interface SendResult {
  /** Outcome per message: accepted, released, rejected or modified. */
  outcomes: string[];
  /** Milliseconds from attach until the router granted credit. */
  creditAfterMs: number;
}

/** Sends `bodies` unsettled to `address` as soon as there is credit; resolves with the outcomes. */
export function send(port: number, address: string, bodies: unknown[], timeoutMs = 10_000): Promise<SendResult> {
  const connection = connect(port, `sender-${Math.random().toString(36).slice(2)}`);
  const sender = connection.open_sender(address);
  const started = Date.now();
  let creditAfterMs = -1;
  const outcomes: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.close();
      reject(new Error(`send to ${address}: ${outcomes.length}/${bodies.length} outcomes within ${timeoutMs} ms (credit ${creditAfterMs >= 0 ? 'granted' : 'never granted'})`));
    }, timeoutMs);
    const settle = (outcome: string): void => {
      outcomes.push(outcome);
      if (outcomes.length === bodies.length) {
        clearTimeout(timer);
        connection.close();
        resolve({ outcomes, creditAfterMs });
      }
    };
    sender.on('accepted', () => settle('accepted'));
    sender.on('released', () => settle('released'));
    sender.on('rejected', () => settle('rejected'));
    sender.on('modified', () => settle('modified'));
    let sent = 0;
    sender.on('sendable', () => {
      if (creditAfterMs < 0) creditAfterMs = Date.now() - started;
      while (sent < bodies.length && sender.sendable()) sender.send({ body: bodies[sent++] });
    });
  });
}
