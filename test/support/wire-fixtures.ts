import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/: its fixtures/ holds real configs and recorded skupper-router frames. */
export const TEST_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WIRE_DIR = join(TEST_DIR, 'fixtures/skrouterd-wire');

export interface WireRecord {
  dir: 'connector->listener' | 'listener->connector';
  /** ms since the recording began; absent where the recorder kept order only (whole-stream/). */
  t?: number;
  kind: 'protocol-header' | 'sasl-frame' | 'amqp-frame';
  hex: string;
  channel?: number;
  performative?: string;
}

export interface WireFile {
  name: string;
  records: WireRecord[];
}

/** Every recorded connection, as `relative/path.jsonl` and its records in order. */
export function loadWireFiles(): WireFile[] {
  const out: WireFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.jsonl')) out.push({ name: path.slice(WIRE_DIR.length + 1), records: loadWireFile(path) });
    }
  };
  walk(WIRE_DIR);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function loadWireFile(path: string): WireRecord[] {
  const full = path.startsWith('/') ? path : join(WIRE_DIR, path);
  return readFileSync(full, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as WireRecord);
}
