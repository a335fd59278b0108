import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { V1Secret } from '@kubernetes/client-node';
import { profileDigest, profileFilesOf, removeStaleProfiles, writeProfileFiles } from '../../site-controller/src/adaptor/cert-files.js';

const secret = (data: Record<string, string>): V1Secret => ({ data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) });

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('adaptor cert files - sslProfile files from a Secret', () => {
  it('writes tls.crt, tls.key and ca.crt under <certsDir>/<profile>/, the key private', () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-certs-'));
    const files = profileFilesOf(secret({ 'tls.crt': 'CERT', 'tls.key': 'KEY', 'ca.crt': 'CA', other: 'x' }));
    expect(writeProfileFiles(dir, 'west-profile', files)).toBe(true);
    expect(readdirSync(join(dir, 'west-profile')).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    expect(readFileSync(join(dir, 'west-profile', 'tls.key'), 'utf8')).toBe('KEY');
    expect(statSync(join(dir, 'west-profile', 'tls.key')).mode & 0o777).toBe(0o600);
  });

  it('leaves identical files alone and replaces changed ones (no temporary files left)', () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-certs-'));
    const first = profileFilesOf(secret({ 'tls.crt': 'CERT', 'tls.key': 'KEY', 'ca.crt': 'CA' }));
    writeProfileFiles(dir, 'p', first);
    expect(writeProfileFiles(dir, 'p', first)).toBe(false);
    const second = profileFilesOf(secret({ 'tls.crt': 'CERT2', 'tls.key': 'KEY2', 'ca.crt': 'CA' }));
    expect(writeProfileFiles(dir, 'p', second)).toBe(true);
    expect(readFileSync(join(dir, 'p', 'tls.crt'), 'utf8')).toBe('CERT2');
    expect(readdirSync(join(dir, 'p')).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    expect(profileDigest(first)).not.toBe(profileDigest(second));
  });

  it('makes a CA-only profile from a Secret with only ca.crt, removing files it no longer has', () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-certs-'));
    writeProfileFiles(dir, 'p', profileFilesOf(secret({ 'tls.crt': 'CERT', 'tls.key': 'KEY', 'ca.crt': 'CA' })));
    expect(writeProfileFiles(dir, 'p', profileFilesOf(secret({ 'ca.crt': 'CA' })))).toBe(true);
    expect(readdirSync(join(dir, 'p'))).toEqual(['ca.crt']);
  });

  it('refuses a profile name that would leave the certs directory', () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-certs-'));
    expect(() => writeProfileFiles(dir, '../escape', {})).toThrow(/cannot be a directory name/);
    expect(() => writeProfileFiles(dir, '..', {})).toThrow(/cannot be a directory name/);
    expect(existsSync(join(dir, '..', 'escape'))).toBe(false);
  });

  it('removes the directories of profiles no longer in the config, and nothing else', () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-certs-'));
    const files = profileFilesOf(secret({ 'tls.crt': 'CERT', 'tls.key': 'KEY', 'ca.crt': 'CA' }));
    writeProfileFiles(dir, 'kept', files);
    writeProfileFiles(dir, 'gone', files);
    expect(removeStaleProfiles(dir, new Set(['kept']))).toEqual(['gone']);
    expect(readdirSync(dir)).toEqual(['kept']);
    expect(removeStaleProfiles(join(dir, 'missing'), new Set())).toEqual([]);
  });
});
