/**
 * Golden test of the messages Skiff builds: every recorded HELLO, RA, LSR, LSU, MAU and MAR, the
 * router-annotations section, and a TCP stream's first message are rebuilt by Skiff's encoders
 * from their decoded fields and compared with skupper-router's bytes field by field, AMQP types
 * included. A private encoding of Skiff's own would fail here.
 */
import { describe, expect, it } from 'vitest';
import { decodeFrameBody } from '../../router/src/amqp/codec/composites.js';
import { Decoder } from '../../router/src/amqp/codec/decoder.js';
import { Encoder } from '../../router/src/amqp/codec/encoder.js';
import { decodeMessage, encodeRouterAnnotations } from '../../router/src/amqp/codec/message.js';
import { encodeStreamHead, parseStreamHead } from '../../router/src/core/stream-head.js';
import { viewMessage } from '../../router/src/core/message-view.js';
import { decodeRoutingMessage, encodeRoutingMessage } from '../../router/src/core/routing/messages.js';
import { shapeOf, type Shape } from '../support/typed-shape.js';
import { loadWireFile } from '../support/wire-fixtures.js';

/** Every transfer payload of a recorded connection that starts a message (its first frame). */
function messagesOf(file: string): Buffer[] {
  const out: Buffer[] = [];
  const open = new Set<string>();
  for (const r of loadWireFile(file)) {
    if (r.performative !== 'transfer') continue;
    const bytes = Buffer.from(r.hex, 'hex');
    const { performative, payload } = decodeFrameBody(bytes.subarray(bytes[4]! * 4));
    const key = `${r.dir}/${r.channel ?? 0}/${String(performative.handle ?? 0)}`;
    if (!open.has(key) && payload.length > 0) out.push(payload);
    if (performative.more === true) open.add(key);
    else open.delete(key);
  }
  return out;
}

/** The typed shape of every section after the router annotations. */
function sectionsShape(bytes: Buffer): Shape[] {
  const dec = new Decoder(bytes.subarray(viewMessage(bytes).bodyOffset), 0, { keepTypes: true });
  const sections: Shape[] = [];
  while (dec.remaining > 0) sections.push(shapeOf(dec.read()));
  return sections;
}

const CONTROL_FILES = ['inter-router/control.jsonl', 'line-A-B-C/A-B-control.jsonl', 'line-A-B-C/B-C-control.jsonl'];

describe('golden - messages Skiff builds match skupper-router field by field', () => {
  for (const op of ['HELLO', 'RA', 'LSR', 'LSU', 'MAU', 'MAR']) {
    it(`${op}: every recorded one, rebuilt from its fields, has the same sections, keys, types and values`, () => {
      let checked = 0;
      for (const file of CONTROL_FILES) {
        for (const payload of messagesOf(file)) {
          const sections = payload.subarray(viewMessage(payload).bodyOffset);
          const msg = decodeMessage(sections);
          if (String(msg.applicationProperties?.get('opcode')) !== op) continue;
          const decoded = decodeRoutingMessage(sections)!;
          const rebuilt = encodeRoutingMessage(decoded, msg.properties!.to!);
          expect(sectionsShape(rebuilt)).toEqual(sectionsShape(payload));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  it('the SKPR--RA section: rebuilt from its fields, the same as recorded', () => {
    let checked = 0;
    for (const file of CONTROL_FILES) {
      for (const payload of messagesOf(file)) {
        const view = viewMessage(payload);
        if (view.annotations === undefined) continue;
        const enc = new Encoder();
        encodeRouterAnnotations(enc, view.annotations);
        expect(shapeOf(new Decoder(Buffer.from(enc.view()), 0, { keepTypes: true }).read())).toEqual(
          shapeOf(new Decoder(payload.subarray(0, view.bodyOffset), 0, { keepTypes: true }).read()),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("a TCP stream's first message (both directions): the same head, and the same RA flags", () => {
    let checked = 0;
    for (const payload of messagesOf('inter-router/data-1-tcp-stream.jsonl')) {
      const view = viewMessage(payload);
      const parsed = parseStreamHead(payload.subarray(view.bodyOffset));
      if (parsed.kind !== 'head') continue;
      const rebuilt = encodeStreamHead(parsed.head);
      const recordedHead = payload.subarray(view.bodyOffset, view.bodyOffset + parsed.payloadOffset);
      expect(sectionsShape(rebuilt)).toEqual(sectionsShape(recordedHead));
      expect(view.annotations?.flags).toBe(5); // streaming | Q2 disabled, as Skiff sets them
      checked++;
    }
    expect(checked).toBe(2);
  });
});
