/**
 * Two AMQP engine connections joined by an in-memory byte stream: the engine and the core run
 * for real, with no socket. `settle()` lets queued frames cross before a test looks.
 */
import { Duplex, PassThrough } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { Connection } from '../../router/src/amqp/engine/connection.js';
import type { Session } from '../../router/src/amqp/engine/session.js';

export interface EnginePair {
  client: Connection;
  server: Connection;
  /** Sessions the client began, as the server sees them, in order. */
  serverSessions: Session[];
}

export function duplexPair(): [Duplex, Duplex] {
  const up = new PassThrough();
  const down = new PassThrough();
  return [Duplex.from({ readable: down, writable: up }), Duplex.from({ readable: up, writable: down })];
}

/** Opens a client and a server connection to each other (no SASL) and waits for both opens. */
export async function enginePair(serverContainer = 'server'): Promise<EnginePair> {
  const [a, b] = duplexPair();
  const server = new Connection(b, { role: 'server', containerId: serverContainer, logId: '[S]', peer: 'client' });
  const serverSessions: Session[] = [];
  server.onSessionBegun = (session) => serverSessions.push(session);
  const client = new Connection(a, { role: 'client', containerId: 'client', logId: '[C]', peer: 'server' });
  await until(() => client.isOpen && server.isOpen && client.remoteOpen !== undefined);
  return { client, server, serverSessions };
}

/** Lets the event loop move bytes between the two ends until `done()` holds (at most 1,000 turns). */
export async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (done()) return;
    await tick();
  }
  throw new Error('the engine pair never reached the expected state');
}
