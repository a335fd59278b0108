/** Small readers for parsed YAML, shared by the token parsers. */

/** The value as a plain object, or undefined when it is anything else. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A YAML parse error in one line: "not YAML (<first line of the parser's message>)". */
export function yamlError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `not YAML (${message.split('\n')[0] ?? ''})`;
}
