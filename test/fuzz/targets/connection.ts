/**
 * The connection engine behind a router listener: recorded client streams (protocol headers, SASL
 * init, open, begin, attach, flow, transfer, ...) mutated and fed to a server Connection in random
 * chunks, as a socket would. The engine refuses bad bytes by closing with an AMQP error; it must
 * never reach its internal-error path (an exception of its own) nor throw out of the socket's
 * data event.
 */
import { Duplex } from 'node:stream';
import fc from 'fast-check';
import { Connection } from '../../../router/src/amqp/engine/connection.js';
import { configureLog } from '../../../router/src/log.js';
import type { FuzzTarget } from '../harness.js';
import { mutatedBytes } from '../mutate.js';
import { streamSeeds } from '../seeds.js';

interface Input {
  bytes: Buffer;
  cuts: number[];
  requireSasl: boolean;
  verified: boolean;
}

/** A socket whose writes go nowhere: the peer is this target, which only sends. */
function nullSocket(): Duplex {
  return new Duplex({
    read() {},
    write(_chunk, _encoding, done) {
      done();
    },
  });
}

let connections = 0;

export const connectionTarget: FuzzTarget<Input> = {
  name: 'connection',
  about: 'server Connection (SASL, open, sessions, links): bad bytes close it with an AMQP error, never an internal error',
  input: fc.record({
    bytes: mutatedBytes(streamSeeds()),
    cuts: fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 4 }),
    requireSasl: fc.boolean(),
    verified: fc.boolean(),
  }),
  // A stream fed a byte at a time takes 60-140 ms alone, and took 1.1 s nice'd on 2 busy cores.
  budgetMs: 5000,
  async setup() {
    // Every refusal is logged; a million of them are not worth reading.
    configureLog('DEFAULT', { enable: 'none' });
    return async () => configureLog('DEFAULT', { enable: 'info+' });
  },
  async run(input) {
    const socket = nullSocket();
    const conn = new Connection(socket, {
      role: 'server',
      containerId: 'fuzz',
      logId: `[C${++connections}]`,
      peer: 'fuzz',
      maxFrameSize: 16_384,
      saslServer: { mechanisms: ['ANONYMOUS', 'EXTERNAL'], peerCertificateVerified: input.verified },
      requireSasl: input.requireSasl,
    });
    // Links the peer attaches get no owner: the engine's defaults must cope.
    conn.onSessionBegun = () => undefined;
    for (let at = 0, i = 0; at < input.bytes.length; i++) {
      const size = input.cuts[i % input.cuts.length]!;
      socket.emit('data', input.bytes.subarray(at, at + size));
      at += size;
    }
    const internal = conn.closeError?.condition === 'amqp:internal-error' ? conn.closeError.description : undefined;
    socket.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    if (internal !== undefined) throw new Error(`the engine failed on its own: ${internal}`);
  },
};
