/** Volume contents are swapped as a whole set (kubelet's ..data layout); kubelet log tails. */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writeAtomically, type VolumeFile } from './src/atomic-dir.js';
import { tailLines } from './src/kubelet-api.js';

const root = mkdtempSync(join(tmpdir(), 'skiff-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files = (entries: Record<string, string>, mode = 0o644) =>
  new Map<string, VolumeFile>(Object.entries(entries).map(([k, v]) => [k, { content: v, mode }]));

describe('atomic dir', () => {
  test('atomic dir - names link through ..data to one set; a new set replaces keys and removes dropped ones', async () => {
    const dir = join(root, 'vol');
    await writeAtomically(dir, files({ colour: 'blue', 'conf/app.conf': 'a=1', size: 'small' }));
    expect(readFileSync(join(dir, 'colour'), 'utf8')).toBe('blue');
    expect(readFileSync(join(dir, 'conf/app.conf'), 'utf8')).toBe('a=1');
    expect(readlinkSync(join(dir, 'colour'))).toBe('..data/colour');
    const first = readlinkSync(join(dir, '..data'));
    expect(first).toMatch(/^\.\.\d{4}_/);
    await writeAtomically(dir, files({ colour: 'green', 'conf/app.conf': 'a=2', shape: 'round' }, 0o600));
    expect(readFileSync(join(dir, 'colour'), 'utf8')).toBe('green');
    expect(readFileSync(join(dir, 'shape'), 'utf8')).toBe('round');
    expect(readFileSync(join(dir, 'conf/app.conf'), 'utf8')).toBe('a=2');
    expect(lstatSync(join(dir, readlinkSync(join(dir, '..data')), 'colour')).mode & 0o777).toBe(0o600);
    // Only the current set, its link and the visible names are left.
    const entries = readdirSync(dir).sort();
    expect(entries).toEqual([readlinkSync(join(dir, '..data')), '..data', 'colour', 'conf', 'shape'].sort());
    expect(entries).not.toContain(first);
  });

  test('atomic dir - paths that would leave the volume or hide the layout are refused', async () => {
    for (const bad of ['../x', '/etc/x', 'a/../b', '..data']) {
      await expect(writeAtomically(join(root, 'bad'), files({ [bad]: 'x' }))).rejects.toThrow(`volume path "${bad}"`);
    }
  });

  test('atomic dir - tailLines keeps the last N lines of a log', () => {
    const text = Buffer.from('one\ntwo\nthree\n');
    expect(tailLines(text, 1).toString()).toBe('three\n');
    expect(tailLines(text, 2).toString()).toBe('two\nthree\n');
    expect(tailLines(text, 5).toString()).toBe('one\ntwo\nthree\n');
    expect(tailLines(text, 0).toString()).toBe('');
    expect(tailLines(Buffer.from('a\nno newline'), 1).toString()).toBe('no newline');
  });
});
