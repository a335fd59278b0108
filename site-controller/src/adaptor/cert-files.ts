/**
 * The files of an sslProfile, from the Secret that holds its credentials (names.ts profileSecret):
 * `<certsDir>/<profile>/{tls.crt,tls.key,ca.crt}`, each replaced atomically. A Secret with only
 * `ca.crt` gives a CA-only profile (a client that checks servers but has no certificate of its own).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { V1Secret } from '@kubernetes/client-node';
import { writeFileAtomic } from '../../../common/src/atomic-file.js';

export const ProfileFile = { cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt' } as const;
const FILES = Object.values(ProfileFile);

/** A profile's file contents by file name; only the files its Secret has. */
export type ProfileFiles = Partial<Record<(typeof FILES)[number], Buffer>>;

export function profileFilesOf(secret: V1Secret): ProfileFiles {
  const files: ProfileFiles = {};
  for (const file of FILES) {
    const data = secret.data?.[file];
    if (data !== undefined && data !== '') files[file] = Buffer.from(data, 'base64');
  }
  return files;
}

/** A digest of a profile's contents, to see that a Secret changed. */
export function profileDigest(files: ProfileFiles): string {
  const hash = createHash('sha256');
  for (const file of FILES) hash.update(`${file}:${files[file]?.toString('base64') ?? ''};`);
  return hash.digest('hex');
}

/**
 * Writes the files of `profile` under `certsDir` and removes those its Secret no longer has.
 * Files already holding the same bytes are left alone. Returns whether anything changed.
 */
export function writeProfileFiles(certsDir: string, profile: string, files: ProfileFiles): boolean {
  // A profile name is a directory name; one that would step out of certsDir is refused.
  if (basename(profile) !== profile || profile === '..' || profile === '.') throw new RangeError(`sslProfile name '${profile}' cannot be a directory name`);
  const dir = join(certsDir, profile);
  let changed = false;
  for (const file of FILES) {
    const path = join(dir, file);
    const content = files[file];
    const present = existsSync(path);
    if (content === undefined) {
      if (present) rmSync(path, { force: true });
      changed ||= present;
      continue;
    }
    if (present && readFileSync(path).equals(content)) continue;
    writeFileAtomic(path, content, file === ProfileFile.key ? 0o600 : 0o644);
    changed = true;
  }
  return changed;
}

/**
 * Removes the directories of profiles no longer wanted (their private keys included); returns
 * their names. Only directories are touched: the adaptor makes one per profile and nothing else.
 */
export function removeStaleProfiles(certsDir: string, wanted: ReadonlySet<string>): string[] {
  if (!existsSync(certsDir)) return [];
  const stale = readdirSync(certsDir, { withFileTypes: true }).filter((e) => e.isDirectory() && !wanted.has(e.name)).map((e) => e.name);
  for (const name of stale) rmSync(join(certsDir, name), { recursive: true, force: true });
  return stale;
}
