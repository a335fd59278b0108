/**
 * The files of a site that go into a debug dump: its state, claim records, sync files and generated
 * router config as redacted JSON, and the logs under `runtime/` (their tails when large). Certificates
 * and keys under `certs/` are never read.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TarEntry } from '../../archive/tar-writer.js';
import type { Site } from '../../site/site-store.js';
import { redactJson, redactText } from './redact.js';

/** A log longer than this is cut to its last bytes: the end is what explains a failure. */
const LOG_TAIL_BYTES = 8 * 1024 * 1024;

export function siteFileEntries(site: Site): TarEntry[] {
  const { paths } = site;
  const entries: TarEntry[] = [jsonFileEntry('site.json', paths.state), jsonFileEntry('router/skrouterd.json', paths.routerConfig)];
  // Claim records, and what the agent learnt through service sync (sync/services.json, runtime/network.json).
  for (const dir of ['claims', 'sync', 'runtime']) {
    for (const file of listFiles(join(paths.dir, dir), '.json')) entries.push(jsonFileEntry(`${dir}/${file}`, join(paths.dir, dir, file)));
  }
  const runtime = join(paths.dir, 'runtime');
  for (const file of listFiles(runtime, '.log')) entries.push({ name: `logs/${file}`, data: redactText(logTail(join(runtime, file))) });
  return entries;
}

function jsonFileEntry(name: string, path: string): TarEntry {
  if (!existsSync(path)) return { name: `${name}.missing.txt`, data: `${path} did not exist when the dump was made\n` };
  try {
    return { name, data: JSON.stringify(redactJson(JSON.parse(readFileSync(path, 'utf8'))), null, 2) + '\n' };
  } catch (error) {
    // A file that is not JSON cannot be redacted key by key, so only the reason goes in.
    return { name: `${name}.unreadable.txt`, data: `${path}: ${(error as Error).message}\n` };
  }
}

function listFiles(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => e.name)
    .sort();
}

function logTail(path: string): string {
  const size = statSync(path).size;
  if (size <= LOG_TAIL_BYTES) return readFileSync(path, 'utf8');
  const tail = Buffer.alloc(LOG_TAIL_BYTES);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, tail, 0, LOG_TAIL_BYTES, size - LOG_TAIL_BYTES);
  } finally {
    closeSync(fd);
  }
  return `[first ${size - LOG_TAIL_BYTES} bytes of ${size} left out]\n${tail.toString('utf8')}`;
}
