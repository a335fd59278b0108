/**
 * Edge connections against skupper-router's recorded behaviour (test/fixtures/skrouterd-wire/
 * edge-tracking: a skrouterd edge E on a skrouterd interior I), without a skupper-router. The
 * mixed meshes of the interop suite found each cause:
 * - a skupper-router edge attaches a sender for each address it sends to (a tcpListener's, a
 *   client's) and binds it only when the interior says, on `_$qd.edge_addr_tracking`, that the
 *   address has a destination beyond the edge: a skiff interior never said so, so the edge's
 *   tcpListeners never opened and its senders never got credit;
 * - it is told per sender (each new sender is bound on its own message);
 * - what it sends on such a sender is the edge's (router annotations, to-override): a skiff
 *   interior took it as a client's and sent multicast back to the edge;
 * - a skiff edge on a skupper-router interior must do the same as E: attach the senders and wait
 *   for the interior's word before its tcpListener opens (it never opened).
 */
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFrameBody, type CompositeValue } from '../../router/src/amqp/codec/composites.js';
import { decodeMessage } from '../../router/src/amqp/codec/message.js';
import { AmqpMap } from '../../router/src/amqp/codec/values.js';
import { Connection } from '../../router/src/amqp/engine/connection.js';
import type { Link } from '../../router/src/amqp/engine/link.js';
import { asTerminus } from '../../router/src/amqp/engine/types.js';
import { viewMessage } from '../../router/src/core/message-view.js';
import { closeAllClients, receive, send } from '../support/amqp-clients.js';
import { startRouter, stopAllRouters, waitFor } from '../support/router-process.js';
import { freePort, tryConnect } from '../support/tcp-peers.js';
import { loadWireFile, type WireRecord } from '../support/wire-fixtures.js';

const UPLINK = 'edge-tracking/uplink.jsonl';
const FROM_EDGE = 'connector->listener';
const FROM_INTERIOR = 'listener->connector';

const records = loadWireFile(UPLINK);

function performativeOf(r: WireRecord): { performative: CompositeValue; payload: Buffer } {
  const bytes = Buffer.from(r.hex, 'hex');
  const { performative, payload } = decodeFrameBody(bytes.subarray(bytes[4]! * 4));
  return { performative, payload: Buffer.from(payload) };
}

/** The recorded attaches one side sent, in order. */
function attaches(dir: string): CompositeValue[] {
  return records.filter((r) => r.dir === dir && r.performative === 'attach').map((r) => performativeOf(r).performative);
}

function addressOf(terminus: unknown): string | undefined {
  return asTerminus(terminus)?.address;
}

/**
 * The payloads of the transfers `dir`'s side sent on the link whose attach (from that side) has
 * `terminus` address `address`: links are told apart by channel and handle, as on the wire.
 */
function transfersOn(dir: string, terminus: 'source' | 'target', address: string): Buffer[] {
  const attach = records.find((r) => r.dir === dir && r.performative === 'attach' && addressOf(performativeOf(r).performative[terminus]) === address);
  if (attach === undefined) throw new Error(`${UPLINK}: ${dir} attached no link with ${terminus} ${address}`);
  const handle = Number(performativeOf(attach).performative.handle ?? 0);
  return records
    .filter((r) => r.dir === dir && r.performative === 'transfer' && r.channel === attach.channel)
    .map(performativeOf)
    .filter((t) => Number(t.performative.handle ?? 0) === handle)
    .map((t) => t.payload);
}

function openProperties(dir: string): AmqpMap {
  const open = records.find((r) => r.dir === dir && r.performative === 'open')!;
  return performativeOf(open).performative.properties as AmqpMap;
}

/** Sections after the router annotations, decoded. */
function sections(message: Buffer): ReturnType<typeof decodeMessage> {
  return decodeMessage(message.subarray(viewMessage(message).bodyOffset));
}

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  closeAllClients();
  for (const s of sockets.splice(0)) s.destroy();
  await stopAllRouters();
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

describe('edge address tracking - against a recorded skupper-router edge and interior', () => {
  it('the recording holds what the tests replay', () => {
    const edgeTargets = attaches(FROM_EDGE).map((a) => addressOf(a.target));
    expect(edgeTargets).toContain('edge/to-i'); // E's tcpListener's sender
    expect(edgeTargets).toContain('edge/any-i'); // E's client sender's
    const tracking = transfersOn(FROM_INTERIOR, 'source', '_$qd.edge_addr_tracking');
    expect(tracking.map((m) => sections(m).body)).toEqual([
      ['Medge/to-i', true],
      ['Medge/any-i', true],
    ]);
    expect(sections(tracking[0]!).header).toEqual({ durable: false });
  });

  it('a skiff interior tells a skupper-router edge, per sender, that its addresses are reachable, and takes what it sends on them as the edge\'s', async () => {
    const i = await startRouter('I', [
      ['router', { id: 'I', mode: 'interior' }],
      ['address', { prefix: 'edge/any', distribution: 'multicast' }],
      ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
      ['listener', { name: 'edge', host: '127.0.0.1', port: 0, role: 'edge' }],
      ['tcpConnector', { name: 'echo', host: '127.0.0.1', port: String(await freePort()), address: 'edge/to-i' }],
    ]);
    const socket = connect(i.ports.get('edge')!, '127.0.0.1');
    sockets.push(socket);
    await once(socket, 'connect');
    const e = new Connection(socket, {
      role: 'client',
      containerId: 'E',
      hostname: '127.0.0.1',
      logId: '[recorded E]',
      peer: 'I',
      properties: openProperties(FROM_EDGE),
      offeredCapabilities: ['ANONYMOUS-RELAY', 'qd.streaming-links', 'qd.connection_trunking'],
      desiredCapabilities: ['ANONYMOUS-RELAY', 'qd.streaming-links', 'qd.connection_trunking'],
      saslClient: { mechanisms: ['ANONYMOUS'] },
    });
    await new Promise<void>((resolve) => e.opened.add(() => resolve()));
    const session = e.beginSession();
    const tracking: Buffer[] = [];
    const received = new Map<string, string[]>();
    const links = new Map<string, Link>();
    // E's links as recorded, in order: mesh discovery, anonymous sender, downlink, tracking,
    // flow-record links, its tcpListener's sender and its tcpConnector's receiver, later a
    // client's sender and receiver.
    const replay = (a: CompositeValue): Link => {
      const link = session.createLink(a.name as string, a.role === true ? 'receiver' : 'sender');
      link.attach({ sndSettleMode: Number(a.sndSettleMode), source: asTerminus(a.source) ?? null, target: asTerminus(a.target) ?? null });
      const source = addressOf(a.source);
      if (link.role === 'receiver') {
        link.onDelivery = (d) => {
          if (d.partial) return;
          if (source === '_$qd.edge_addr_tracking') tracking.push(d.payload());
          else if (source !== undefined) received.set(source, [...(received.get(source) ?? []), String(sections(d.payload()).body)]);
          if (!d.settled) d.accept();
          link.addCredit(1);
        };
        link.flow(32);
      }
      links.set(link.role === 'sender' ? `to ${addressOf(a.target) ?? ''}` : `from ${source ?? ''}`, link);
      return link;
    };
    for (const a of attaches(FROM_EDGE)) replay(a);
    const recorded = transfersOn(FROM_INTERIOR, 'source', '_$qd.edge_addr_tracking').map((m) => sections(m));
    // edge/to-i has a tcpConnector on I: E's tcpListener's sender is told at once, as I told it.
    await waitFor(() => tracking.length >= 1, 'a tracking message for edge/to-i');
    expect({ header: sections(tracking[0]!).header, body: sections(tracking[0]!).body }).toEqual({ header: recorded[0]!.header, body: recorded[0]!.body });
    // edge/any-i has a consumer on I once a client attaches: E's client sender is told.
    const onI = receive(i.ports.get('amqp')!, 'edge/any-i');
    await onI.ready;
    await waitFor(() => tracking.some((m) => String(sections(m).body) === 'Medge/any-i,true'), 'a tracking message for edge/any-i');
    // A second sender for the same address is told on its own (skupper-router binds each).
    const before = tracking.length;
    replay({ ...attaches(FROM_EDGE).find((a) => addressOf(a.target) === 'edge/to-i')!, name: 'second-sender-to-i' });
    await waitFor(() => tracking.length > before, 'a tracking message for the second sender');
    expect(sections(tracking[before]!).body).toEqual(['Medge/to-i', true]);
    // E's recorded message on its sender for edge/any-i (to-override in its router annotations,
    // no properties.to), multicast here: it reaches I's consumer and does not come back to E,
    // which has a consumer for the address too; a message sent after it from I does.
    replay({ ...attaches(FROM_EDGE).find((a) => addressOf(a.source) === 'edge/any-e')!, name: 'consumer-any-i', source: { $type: 'source', address: 'edge/any-i' } });
    await waitFor(() => links.get('to edge/any-i')!.credit > 0, "credit on E's sender for edge/any-i");
    const [message] = transfersOn(FROM_EDGE, 'target', 'edge/any-i');
    expect(sections(message!).body).toBe('hello');
    links.get('to edge/any-i')!.send(message!, { settled: true });
    await waitFor(() => onI.bodies.includes('hello'), "the edge's message on I");
    expect((await send(i.ports.get('amqp')!, 'edge/any-i', ['marker'])).outcomes).toEqual(['accepted']);
    await waitFor(() => received.get('edge/any-i')?.includes('marker'), 'the marker on E');
    expect(received.get('edge/any-i')).toEqual(['marker']);
  });

  it('a skiff edge attaches a sender for its tcpListener\'s address and opens the port only when a skupper-router interior says it is reachable', async () => {
    const listenPort = await freePort();
    const edgeTargets: string[] = [];
    let tracking: Link | undefined;
    const server = createServer((socket) => {
      sockets.push(socket);
      const conn = new Connection(socket, {
        role: 'server',
        containerId: 'I',
        logId: '[recorded I]',
        peer: 'E',
        properties: openProperties(FROM_INTERIOR),
        offeredCapabilities: ['ANONYMOUS-RELAY', 'qd.streaming-links', 'qd.connection_trunking'],
        saslServer: { mechanisms: ['ANONYMOUS'], peerCertificateVerified: false },
      });
      conn.onSessionBegun = (session) => {
        session.onRemoteAttach = (link) => {
          link.attach({ sndSettleMode: 2, source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
          if (link.role === 'receiver') {
            const target = link.remoteTarget?.address;
            if (target !== undefined) edgeTargets.push(target);
            link.onDelivery = (d) => {
              if (!d.partial && !d.settled) d.accept();
            };
            link.flow(250);
          } else if (link.remoteSource?.address === '_$qd.edge_addr_tracking') tracking = link;
        };
      };
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const e = await startRouter('E', [
      ['router', { id: 'E', mode: 'edge' }],
      ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
      ['connector', { name: 'uplink', host: '127.0.0.1', port: String((server.address() as { port: number }).port), role: 'edge' }],
      ['tcpListener', { name: 'in', host: '127.0.0.1', port: String(listenPort), address: 'edge/to-i' }],
    ]);
    await e.waitForLog(/edge uplink to I active/);
    // As the recorded skupper-router edge does for its tcpListener.
    await waitFor(() => edgeTargets.includes('edge/to-i'), "E's sender for edge/to-i");
    expect(attaches(FROM_EDGE).some((a) => addressOf(a.target) === 'edge/to-i')).toBe(true);
    await waitFor(() => tracking !== undefined && tracking.credit > 0, 'credit on the tracking link');
    expect(await tryConnect(listenPort)).toBe('ECONNREFUSED');
    // I's recorded word, byte for byte: edge/to-i is reachable.
    const [reachable] = transfersOn(FROM_INTERIOR, 'source', '_$qd.edge_addr_tracking');
    tracking!.send(reachable!, { settled: true });
    await waitFor(async () => (await tryConnect(listenPort)) === 'connected', "E's tcpListener open");
  });
});
