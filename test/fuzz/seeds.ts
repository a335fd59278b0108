/**
 * Valid inputs the mutators start from: frames skupper-router sent and received (recorded in
 * test/fixtures/skrouterd-wire), their performatives and message payloads, and real configs.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFrameBody } from '../../router/src/amqp/codec/composites.js';
import { FRAME_HEADER_SIZE } from '../../router/src/amqp/codec/frames.js';
import { loadWireFile, type WireRecord } from '../support/wire-fixtures.js';

/** The repository root, whether this runs from test/ (vitest) or dist/test/ (npm run fuzz). */
export const REPO_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('fuzz seeds: no package.json above this file');
    dir = up;
  }
  return dir;
})();

const FIXTURES = join(REPO_ROOT, 'test/fixtures');

function wireFiles(dir = join(FIXTURES, 'skrouterd-wire')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return wireFiles(path);
    return entry.name.endsWith('.jsonl') ? [path] : [];
  });
}

let records: WireRecord[] | undefined;
function allRecords(): WireRecord[] {
  records ??= wireFiles().sort().flatMap((file) => loadWireFile(file));
  return records;
}

/** Distinct buffers, the smallest first (mutating a small seed reaches more branches per input). */
function distinct(buffers: Buffer[]): Buffer[] {
  const seen = new Map<string, Buffer>();
  for (const b of buffers) seen.set(b.toString('hex'), b);
  return [...seen.values()].sort((a, b) => a.length - b.length);
}

/** Whole frames (header included), AMQP and SASL. */
export function frameSeeds(): Buffer[] {
  return distinct(allRecords().filter((r) => r.kind !== 'protocol-header').map((r) => Buffer.from(r.hex, 'hex')));
}

/** Each recorded connection direction as one byte stream: protocol headers and frames in order. */
export function streamSeeds(): Buffer[] {
  const streams = new Map<string, Buffer[]>();
  for (const file of wireFiles().sort()) {
    for (const r of loadWireFile(file)) {
      const key = `${file} ${r.dir}`;
      streams.set(key, [...(streams.get(key) ?? []), Buffer.from(r.hex, 'hex')]);
    }
  }
  return distinct([...streams.values()].map((parts) => Buffer.concat(parts)));
}

/** Frame bodies: a performative, then (for transfers) message bytes. */
export function bodySeeds(): Buffer[] {
  return distinct(frameSeeds().map((f) => f.subarray(f[4]! * 4)).filter((b) => b.length > 0 && b.length <= 64 * 1024));
}

/** Message bytes carried by recorded transfers (router annotations, sections, stream heads). */
export function messageSeeds(): Buffer[] {
  const payloads = allRecords()
    .filter((r) => r.performative === 'transfer')
    .map((r) => decodeFrameBody(Buffer.from(r.hex, 'hex').subarray(FRAME_HEADER_SIZE)).payload)
    .filter((p) => p.length > 0 && p.length <= 16 * 1024);
  return distinct(payloads);
}

/** Real router configs: the recorded routers' and the knetsim fixtures'. */
export function configSeeds(): unknown[] {
  const dirs = [join(FIXTURES, 'skrouterd-wire/config'), join(FIXTURES, 'knetsim')];
  return dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown));
}
