/**
 * Writes a whole set of files into a volume directory so that a reader never sees half of one
 * set and half of another, the way kubelet's atomic writer does:
 *
 *   dir/..2026_12_02T08_00_00_000Z.1a2b3c4d/   each set in a new hidden directory
 *   dir/..data -> ..2026_12_02T08_00_00_000Z.1a2b3c4d
 *   dir/KEY    -> ..data/KEY                    the names a container reads
 *
 * A new set is written beside the old one, then `..data` is switched by renaming a new symlink
 * over it (rename is atomic), so every path below resolves to the old or the new set, never a
 * mix. The directory itself stays (it is bind-mounted into containers); only its entries change.
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface VolumeFile {
  content: string;
  mode: number;
}

const DATA = '..data';

/** A volume path must stay inside the volume and not collide with the writer's own entries. */
function checkPath(path: string): void {
  const parts = path.split('/');
  if (path.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..') || path.startsWith('..')) {
    throw new Error(`volume path "${path}" must be relative, without "." or ".." parts, and not start with ".."`);
  }
}

export async function writeAtomically(dir: string, files: ReadonlyMap<string, VolumeFile>): Promise<void> {
  for (const path of files.keys()) checkPath(path);
  await mkdir(dir, { recursive: true });
  const set = `..${new Date().toISOString().replace(/[-:.]/g, '_')}.${randomBytes(4).toString('hex')}`;
  for (const [path, file] of files) {
    const target = join(dir, set, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    // Not through writeFile's mode, which the process umask would narrow.
    await chmod(target, file.mode);
  }
  await mkdir(join(dir, set), { recursive: true });
  const previous = await readlink(join(dir, DATA)).catch(() => undefined);
  const swap = join(dir, `${DATA}_tmp`);
  await rm(swap, { force: true });
  await symlink(set, swap);
  await rename(swap, join(dir, DATA));
  const visible = new Set([...files.keys()].map((p) => p.split('/')[0] ?? p));
  for (const name of visible) {
    const exists = await lstat(join(dir, name)).then(() => true, () => false);
    if (!exists) await symlink(join(DATA, name), join(dir, name));
  }
  for (const entry of await readdir(dir)) {
    if (!entry.startsWith('..') && !visible.has(entry)) await rm(join(dir, entry), { recursive: true, force: true });
  }
  if (previous && previous !== set) await rm(join(dir, previous), { recursive: true, force: true });
}
