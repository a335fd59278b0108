/**
 * Golden test of the frames Skiff builds: a recording proxy between two skiff-routers captures an
 * inter-router connection group, and each frame is compared field by field (AMQP types included)
 * with what skupper-router sent for the same purpose. Only run-specific values are masked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrameBody } from '../../router/src/amqp/codec/composites.js';
import { startRecordingProxy, type RecordedUnit, type RecordingProxy } from '../support/recording-proxy.js';
import { startRouter, stopAllRouters, waitFor } from '../support/router-process.js';
import { performativeShape } from '../support/typed-shape.js';
import { loadWireFile, type WireRecord } from '../support/wire-fixtures.js';

let proxy: RecordingProxy;
let ours: RecordedUnit[][] = [];

beforeAll(async () => {
  const a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
  ]);
  proxy = await startRecordingProxy(a.ports.get('inter-router')!);
  await startRouter('B', [
    ['router', { id: 'B', mode: 'interior', dataConnectionCount: '2' }],
    ['connector', { name: 'to-A', host: '127.0.0.1', port: proxy.port, role: 'inter-router' }],
  ], { waitForListeners: false });
  await a.waitForLog(/inter-router link to B up/);
  // The control connection's 22 attaches and both data connections' opens.
  await waitFor(() => proxy.connections().length >= 3 && attachCount(proxy.connections()) >= 44, 'links attached', 10_000);
  ours = proxy.connections();
});

afterAll(async () => {
  await stopAllRouters();
  await proxy.close();
});

function attachCount(conns: RecordedUnit[][]): number {
  return conns.flat().filter((u) => u.kind === 'frame' && u.body.length > 0 && decodeFrameBody(u.body).performative.$type === 'attach').length;
}

interface Frame {
  dir: string;
  channel: number;
  body: Buffer;
  type: string;
}

function framesOf(units: RecordedUnit[]): Frame[] {
  return units
    .filter((u) => u.kind === 'frame' && u.type === 0 && u.body.length > 0)
    .map((u) => ({ dir: u.dir, channel: u.channel, body: u.body, type: decodeFrameBody(u.body).performative.$type }));
}

function recordedFrames(file: string): Frame[] {
  return loadWireFile(file)
    .filter((r: WireRecord) => r.kind === 'amqp-frame' && r.hex.length > 16)
    .map((r) => {
      const bytes = Buffer.from(r.hex, 'hex');
      const body = bytes.subarray(bytes[4]! * 4);
      return { dir: r.dir, channel: r.channel ?? 0, body, type: decodeFrameBody(body).performative.$type };
    });
}

/** The connection of ours whose connector-side open has (or lacks) qd.inter-router-role. */
function ourConnection(data: boolean): Frame[] {
  for (const units of ours) {
    const frames = framesOf(units);
    const open = frames.find((f) => f.type === 'open' && f.dir === 'connector->listener');
    if (open !== undefined && open.body.includes(Buffer.from('qd.inter-router-role')) === data) return frames;
  }
  throw new Error(`no ${data ? 'data' : 'control'} connection recorded`);
}

const first = (frames: Frame[], dir: string, type: string, nth = 0): Frame => {
  const found = frames.filter((f) => f.dir === dir && f.type === type)[nth];
  if (found === undefined) throw new Error(`no ${type} #${nth} ${dir}`);
  return found;
};

const C2L = 'connector->listener';
const L2C = 'listener->connector';
/** Open fields that differ by run or by product: container-id, hostname, and these properties. */
const OPEN_MASK = ['0', '1', '9.product', '9.version', '9.qd.conn-id', '9.qd.group-correlator', '9.qd.access-id'];

describe('golden - frames Skiff builds match skupper-router field by field', () => {
  const theirControl = recordedFrames('inter-router/control.jsonl');
  const theirData = recordedFrames('inter-router/data-1-tcp-stream.jsonl');

  it('inter-router open, connector side: properties and capabilities', () => {
    const mine = first(ourConnection(false), C2L, 'open');
    const theirs = first(theirControl, C2L, 'open');
    expect(performativeShape(mine.body, OPEN_MASK)).toEqual(performativeShape(theirs.body, OPEN_MASK));
  });

  it('inter-router open, listener side', () => {
    const mine = first(ourConnection(false), L2C, 'open');
    const theirs = first(theirControl, L2C, 'open');
    expect(performativeShape(mine.body, OPEN_MASK)).toEqual(performativeShape(theirs.body, OPEN_MASK));
  });

  it('inter-router-data open: role 4 and the group correlator', () => {
    const mine = first(ourConnection(true), C2L, 'open');
    const theirs = first(theirData, C2L, 'open');
    expect(performativeShape(mine.body, OPEN_MASK)).toEqual(performativeShape(theirs.body, OPEN_MASK));
  });

  it('sessions begin as skupper-router begins them, both sides', () => {
    for (const dir of [C2L, L2C]) {
      expect(performativeShape(first(ourConnection(false), dir, 'begin').body)).toEqual(performativeShape(first(theirControl, dir, 'begin').body));
    }
  });

  // Attach order on the connector side: control receiver, control sender, then per priority.
  for (const [label, nth] of [['control link (receiver)', 0], ['control link (sender)', 1], ['data link priority 0 (receiver)', 2], ['data link priority 9 (sender)', 21]] as const) {
    it(`attach of the ${label}, and the listener side's answer`, () => {
      for (const dir of [C2L, L2C]) {
        const mine = first(ourConnection(false), dir, 'attach', nth);
        const theirs = first(theirControl, dir, 'attach', nth);
        expect(performativeShape(mine.body, ['0'])).toEqual(performativeShape(theirs.body, ['0']));
      }
    });
  }
});
