/** Small readers for parsed YAML, shared by the token parsers. */
import { parse } from 'yaml';

/**
 * The YAML document in `text` (throws when it is not YAML). The library's warnings (unknown tags,
 * collections as keys) stay quiet instead of reaching stderr as process warnings: a bad file gets
 * its one error.
 */
export function parseYaml(text: string): unknown {
  return parse(text, { logLevel: 'error' });
}

/** The value as a plain object, or undefined when it is anything else. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A YAML parse error in one line: "not YAML (<first line of the parser's message>)". */
export function yamlError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `not YAML (${message.split('\n')[0] ?? ''})`;
}
