/**
 * The shape of a JSON value as sorted `path: type` lines, values dropped: `links[].connected:
 * boolean`. Array elements share one `[]` path, so an array reads as the union of its elements'
 * shapes, and a path seen with several types lists them all (`ingressHost: null|string`).
 */
export function jsonKeyPaths(value: unknown): string[] {
  const types = new Map<string, Set<string>>();
  visit(value, '', types);
  return [...types].map(([path, seen]) => `${path === '' ? '.' : path}: ${[...seen].sort().join('|')}`).sort();
}

function visit(value: unknown, path: string, types: Map<string, Set<string>>): void {
  const seen = types.get(path) ?? new Set<string>();
  types.set(path, seen);
  if (value === null) {
    seen.add('null');
  } else if (Array.isArray(value)) {
    seen.add('array');
    for (const element of value) visit(element, `${path}[]`, types);
  } else if (typeof value === 'object') {
    seen.add('object');
    for (const [key, inner] of Object.entries(value)) visit(inner, path === '' ? key : `${path}.${key}`, types);
  } else {
    seen.add(typeof value);
  }
}
