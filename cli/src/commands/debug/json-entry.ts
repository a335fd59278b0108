/** A dump entry holding a JSON value, indented for people to read. */
import type { TarEntry } from '../../archive/tar-writer.js';

export function jsonEntry(name: string, value: unknown): TarEntry {
  return { name, data: JSON.stringify(value, null, 2) + '\n' };
}
