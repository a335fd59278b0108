/** Connection rate: each client loops open → 1-byte echo → close until the deadline. */
import { once } from 'node:events';
import { openSocket, roundTrip } from './client-socket.js';
import { ECHO_BYTE, type Figures } from './protocol.js';

const probe = Buffer.of(ECHO_BYTE);

/**
 * A connection counts once both sides have closed: the client half-closes and waits for the
 * server's FIN to come back through the path, so relays cannot pile up unfinished teardowns.
 */
async function oneConnection(port: number): Promise<void> {
  const socket = await openSocket(port);
  try {
    await roundTrip(socket, probe);
    const closed = once(socket, 'close');
    socket.end();
    await closed;
  } finally {
    socket.destroy();
  }
}

export async function connectRate(port: number, seconds: number, clients: number): Promise<Figures> {
  const start = Date.now();
  const deadline = start + seconds * 1000;
  let done = 0;
  const client = async (): Promise<void> => {
    while (Date.now() < deadline) {
      await oneConnection(port);
      done++;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { perSecond: (done * 1000) / (Date.now() - start) };
}
