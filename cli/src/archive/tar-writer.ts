/**
 * A gzipped tar archive in ustar format (POSIX.1-1988), written in memory: enough for `skiff debug
 * dump` to bundle a few small files without a dependency. Every entry is a regular file.
 *
 *   [512-byte header][data, zero-padded to 512] ... [two zero blocks]
 */
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  /** Path inside the archive, `/`-separated, at most 255 bytes. */
  name: string;
  data: Buffer | string;
}

const BLOCK = 512;
const NAME_MAX = 100;
const PREFIX_MAX = 155;
const FILE_MODE = 0o644;

/** The archive as gzip bytes; `mtime` stamps every entry. */
export function tarGz(entries: readonly TarEntry[], mtime: Date): Buffer {
  const seconds = Math.floor(mtime.getTime() / 1000);
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data;
    blocks.push(header(entry.name, data.length, seconds), data, Buffer.alloc(padding(data.length)));
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(blocks));
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function header(name: string, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const [prefix, base] = splitName(name);
  block.write(base, 0, NAME_MAX);
  writeOctal(block, 100, 8, FILE_MODE);
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, mtime);
  block.write('0', 156); // regular file
  block.write('ustar\u000000', 257);
  block.write(prefix, 345, PREFIX_MAX);
  // The checksum is summed with its own field read as eight spaces.
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeOctal(block, 148, 7, sum);
  return block;
}

/** ustar keeps long paths as prefix + name, split at a `/`. */
function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= NAME_MAX) return ['', name];
  for (let cut = name.indexOf('/'); cut !== -1; cut = name.indexOf('/', cut + 1)) {
    const prefix = name.slice(0, cut);
    const base = name.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= PREFIX_MAX && Buffer.byteLength(base) <= NAME_MAX) return [prefix, base];
  }
  throw new RangeError(`tar entry name too long for ustar: ${name}`);
}

/** A zero-padded octal number ending in NUL, filling `width` bytes. */
function writeOctal(block: Buffer, offset: number, width: number, value: number): void {
  const digits = value.toString(8);
  if (digits.length > width - 1) throw new RangeError(`value ${value} does not fit a ${width}-byte tar field`);
  block.write(`${digits.padStart(width - 1, '0')}\u0000`, offset, width, 'ascii');
}
