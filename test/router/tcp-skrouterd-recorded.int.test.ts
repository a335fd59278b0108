/**
 * TCP streams against skupper-router's recorded behaviour, without a skupper-router: a peer dials
 * the skiff-router as router A or B of the recording in test/fixtures/skrouterd-wire/inter-router
 * and sends that router's bytes (routing messages, stream transfers). Both cases failed against a
 * live skrouterd (issue 12):
 * - skrouterd's listener side sends its stream's head and then reads nothing from its client until
 *   the connector side's reply stream arrives: Skiff's tcpConnector must open that reply when its
 *   server accepts, not when the server first speaks (client-speaks-first connections hung);
 * - skrouterd's connector side takes bytes that arrived before it routed the stream from message
 *   buffers it writes only 16 of, then half-closes: Skiff's tcpListener must send nothing after
 *   the head until the reply stream arrives, as skrouterd's listener side does (64 KiB echoes lost
 *   their last 4–8 KiB under load);
 * - skrouterd's connector side answers a backend that refuses with MODIFIED (delivery-failed) and
 *   leaves the delivery unsettled (test/fixtures/skrouterd-wire/refused-backend): Skiff's
 *   tcpListener must end its client's connection on that outcome, as skrouterd's listener side
 *   does within milliseconds (the client waited forever);
 * - skrouterd's connector side sends a reply stream whose bytes had all arrived before it routed it
 *   (a server that greets and half-closes at once) as one whole transfer on an inter-router data link
 *   (test/fixtures/skrouterd-wire/whole-stream): Skiff must take it as the stream it is (it released
 *   it as a message nobody consumed, and the client waited forever; 1 run in 66 of the interop suite).
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, RaFlag } from '../../router/src/amqp/codec/message.js';
import { viewMessage } from '../../router/src/core/message-view.js';
import { decodeFrameBody } from '../../router/src/amqp/codec/composites.js';
import { asDeliveryState } from '../../router/src/amqp/engine/types.js';
import { connectRecordedPeer, readdressedHead, recordedStreams, recordedTransfers, type RecordedPeer } from '../support/recorded-router-peer.js';
import { startRouter, stopAllRouters, waitFor } from '../support/router-process.js';
import { freePort, sha256 } from '../support/tcp-peers.js';
import { loadWireFile } from '../support/wire-fixtures.js';

const CONTROL = 'inter-router/control.jsonl';
const STREAMS = 'inter-router/data-1-tcp-stream.jsonl';
/** A (skrouterd, tcpListener side) dialled by B (skrouterd, tcpConnector side) in the recording. */
const FROM_A = 'listener->connector';
const FROM_B = 'connector->listener';
/** A (skrouterd, tcpListener) and B (skrouterd, tcpConnector whose backend refuses), B dialling. */
const REFUSED = 'refused-backend/data-stream.jsonl';
/** skrouterd B (tcpConnector to a server that greets and half-closes) dialling a skiff-router A. */
const WHOLE = 'whole-stream/control.jsonl';

/** The dispositions B sent on the recorded stream's delivery: its outcome and settlement. */
function recordedDispositions(file: string): Array<{ state: ReturnType<typeof asDeliveryState>; settled: boolean }> {
  return loadWireFile(file)
    .filter((r) => r.dir === FROM_B && r.performative === 'disposition')
    .map((r) => {
      const bytes = Buffer.from(r.hex, 'hex');
      const { performative } = decodeFrameBody(bytes.subarray(bytes[4]! * 4));
      return { state: asDeliveryState(performative.state), settled: performative.settled === true };
    });
}

let peer: RecordedPeer | undefined;
const servers: Server[] = [];

afterEach(async () => {
  await peer?.close();
  peer = undefined;
  await stopAllRouters();
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

function toOf(head: Buffer): string | undefined {
  return decodeMessage(head.subarray(viewMessage(head).bodyOffset), { streaming: true }).properties?.to;
}

function replyToOf(head: Buffer): string | undefined {
  return decodeMessage(head.subarray(viewMessage(head).bodyOffset), { streaming: true }).properties?.replyTo;
}

function joined(chunks: readonly Buffer[]): Buffer {
  return Buffer.concat(chunks);
}

/**
 * A skiff-router A with a tcpListener for golden/echo, dialled by the recorded B: B's recorded
 * MAU makes golden/echo reachable through B, so A's tcpListener opens. Resolves with its port.
 */
async function listenerSideDialledByRecordedB(controlFile = CONTROL, address = 'golden/echo'): Promise<number> {
  const port = await freePort();
  const a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
    ['tcpListener', { name: 'echo', host: '127.0.0.1', port: String(port), address }],
  ]);
  peer = await connectRecordedPeer({ port: a.ports.get('inter-router')!, routerId: 'B', controlFile, dir: FROM_B });
  await a.waitForLog(/tcpListener echo listening/, 10_000);
  return port;
}

describe('tcp adaptor - against recorded skupper-router streams', () => {
  it("skiff's tcpConnector answers skrouterd's head-only stream with its reply stream as soon as the server accepts", async () => {
    // The server records what it receives and says nothing until it has read the whole request.
    const received: Buffer[] = [];
    let accepted: Socket | undefined;
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      accepted = socket;
      socket.on('data', (d: Buffer) => received.push(d));
      socket.on('end', () => socket.end(joined(received)));
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const b = await startRouter('B', [
      ['router', { id: 'B', mode: 'interior' }],
      ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
      ['tcpConnector', { name: 'echo', host: '127.0.0.1', port: String((server.address() as { port: number }).port), address: 'golden/echo' }],
    ]);
    peer = await connectRecordedPeer({ port: b.ports.get('inter-router')!, routerId: 'A', controlFile: CONTROL, dir: FROM_A });
    const [clientStream] = recordedStreams(STREAMS, FROM_A);
    expect(toOf(clientStream![0]!)).toBe('golden/echo');
    // Only the head, as skrouterd sends it before its client's bytes.
    const sent = await peer.sendStream([clientStream![0]!], { end: false });
    const reply = await waitFor(() => peer!.streams[0], 'the reply stream from the tcpConnector (skrouterd waits for it before reading its client)', 10_000);
    expect(accepted).toBeDefined();
    expect(received).toEqual([]);
    expect(toOf(reply.head)).toBe(replyToOf(clientStream![0]!));
    // Then the recorded client bytes and end: they reach the server, and its answer comes back.
    peer.continueStream(sent, clientStream!.slice(1, -1), true);
    peer.continueStream(sent, clientStream!.slice(-1), false);
    const request = joined(clientStream!.slice(1));
    expect(request.toString()).toBe('hello skiff\n');
    await waitFor(() => reply.ended, 'the end of the reply stream');
    expect(joined(received)).toEqual(request);
    expect(joined(reply.payload)).toEqual(request);
  });

  it("skiff's tcpListener sends nothing after its stream's head until skrouterd's reply stream arrives, then all 64 KiB", async () => {
    const port = await listenerSideDialledByRecordedB();
    const payload = randomBytes(64 * 1024);
    const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const answer: Buffer[] = [];
    client.on('data', (d: Buffer) => answer.push(d));
    const closed = once(client, 'close');
    await once(client, 'connect');
    await new Promise<void>((resolve) => client.end(payload, () => resolve()));
    const stream = await waitFor(() => peer!.streams[0], "the stream's head");
    expect(toOf(stream.head)).toBe('golden/echo');
    // Two HELLOs later the router has had every chance to read its client: it must not have.
    const hellos = peer!.hellos;
    await waitFor(() => peer!.hellos >= hellos + 2, 'two more HELLOs from the skiff-router', 5000);
    expect(stream.payloadBytes).toBe(0);
    // B's recorded reply stream, addressed to this connection's reply-to: the bytes follow.
    const [serverStream] = recordedStreams(STREAMS, FROM_B);
    await peer!.sendStream([readdressedHead(serverStream![0]!, replyToOf(stream.head)!), ...serverStream!.slice(1)]);
    await waitFor(() => stream.ended, 'the end of the client stream', 10_000);
    expect(stream.payloadBytes).toBe(payload.length);
    expect(sha256(joined(stream.payload))).toBe(sha256(payload));
    await closed;
    expect(createHash('sha256').update(joined(answer)).digest('hex')).toBe(sha256(joined(serverStream!.slice(1))));
    expect(joined(answer).toString()).toBe('hello skiff\n');
  });

  it("skiff's tcpListener ends its client's connection when skrouterd's connector side answers MODIFIED without settling (its backend refused)", async () => {
    const [outcome] = recordedDispositions(REFUSED);
    expect(outcome).toEqual({ state: { $type: 'modified', deliveryFailed: true, undeliverableHere: false }, settled: false });
    const port = await listenerSideDialledByRecordedB();
    const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let received = 0;
    let endedAt: number | undefined;
    client.on('data', (d: Buffer) => (received += d.length));
    client.on('end', () => (endedAt = Date.now()));
    client.on('error', () => undefined);
    await once(client, 'connect');
    client.write('anyone there?');
    const stream = await waitFor(() => peer!.streams[0], "the stream's head");
    stream.delivery.update(outcome!.state, outcome!.settled);
    // skrouterd's listener side ends its client within milliseconds; a second is generous.
    const t0 = Date.now();
    await waitFor(() => endedAt !== undefined, "the end of the client's connection", 5000);
    expect(endedAt! - t0).toBeLessThan(1000);
    expect(received).toBe(0);
    // And the stream's delivery is over on the skiff side too (skrouterd sends a settled last transfer).
    await waitFor(() => stream.ended, 'the end of the stream toward B');
    client.destroy();
  });

  it("skiff's tcpListener takes skrouterd's reply stream sent whole on a data link: the greeting and its end reach the client", async () => {
    const whole = recordedTransfers(WHOLE, FROM_B).filter((t) => !t.more && ((viewMessage(t.payload).annotations?.flags ?? 0) & RaFlag.streaming) !== 0);
    expect(whole).toHaveLength(1);
    const port = await listenerSideDialledByRecordedB(WHOLE, 'golden/half');
    const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let text = '';
    client.on('data', (d: Buffer) => (text += d.toString()));
    const ended = once(client, 'end');
    const stream = await waitFor(() => peer!.streams[0], "the stream's head");
    expect(toOf(stream.head)).toBe('golden/half');
    const outcome = await peer!.sendOnDataLink(readdressedHead(whole[0]!.payload, replyToOf(stream.head)!));
    expect(outcome).toEqual({ $type: 'accepted' });
    await ended;
    expect(text).toBe('greeting');
    // The client's half stays open: what it sends after the greeting still reaches B.
    client.end('hello after the greeting\n');
    await waitFor(() => stream.ended, 'the end of the client stream');
    expect(joined(stream.payload).toString()).toBe('hello after the greeting\n');
    client.destroy();
  });
});
