import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tarGz, type TarEntry } from '../../cli/src/archive/tar-writer.js';
import { readTarGz } from '../support/tar-reader.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function written(entries: TarEntry[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-tar-'));
  dirs.push(dir);
  const file = join(dir, 'a.tar.gz');
  writeFileSync(file, tarGz(entries, new Date('2026-01-02T03:04:05Z')));
  return file;
}

const longName = `${'deep/'.repeat(30)}file.json`;
const entries: TarEntry[] = [
  { name: 'empty.txt', data: '' },
  { name: 'block.bin', data: Buffer.alloc(512, 7) },
  { name: 'odd/size.txt', data: 'x'.repeat(513) },
  { name: longName, data: '{}' },
];

describe('tar writer - ustar in gzip', () => {
  it('round-trips names and bytes, including sizes at block boundaries and a name that needs the prefix field', () => {
    const files = readTarGz(written(entries));
    expect([...files.keys()]).toEqual(entries.map((e) => e.name));
    for (const entry of entries) expect(files.get(entry.name)?.toString('latin1')).toBe(Buffer.from(entry.data).toString('latin1'));
  });

  it('is read by the system tar with sizes and mtime', () => {
    const listing = execFileSync('tar', ['-tzvf', written(entries)], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    expect(listing).toMatch(/ 513 2026-01-02 03:04 odd\/size\.txt/);
    expect(listing).toContain(longName);
  });

  it('refuses a name ustar cannot hold', () => {
    expect(() => tarGz([{ name: 'x'.repeat(101), data: '' }], new Date())).toThrow(/too long/);
  });
});
