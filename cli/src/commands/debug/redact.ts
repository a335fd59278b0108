/**
 * Keeps secrets out of a debug dump, which is meant to be handed to others: values under keys that
 * name a secret (claim passwords) are replaced, and any PEM private key block in any text is cut.
 */

export const REDACTED = '[redacted]';

/** `password`, `privateKeyPassword`, `privateKey`; not `privateKeyFile`, a path worth keeping. */
const SECRET_KEY = /(password|passphrase|secret|^private.?key)$/i;
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g;

/** A copy of a parsed JSON value with every secret replaced. */
export function redactJson(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) && inner !== null ? REDACTED : redactJson(inner)]));
  }
  return value;
}

/** The text with every PEM private key block (even one cut short) replaced. */
export function redactText(text: string): string {
  return text.replace(PEM_PRIVATE_KEY, REDACTED);
}
