/**
 * Argument parsers for commander. They throw commander's InvalidArgumentError, which the error
 * boundary reports like any other usage error (exit 2, with the option named).
 */
import { InvalidArgumentError } from 'commander';

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function isDnsLabel(value: string): boolean {
  return DNS_LABEL.test(value);
}

export function parseName(value: string): string {
  if (!isDnsLabel(value)) throw new InvalidArgumentError(`'${value}' is not a DNS label (lower-case letters, digits and '-', starting with a letter).`);
  return value;
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError(`'${value}' is not a port (1-65535).`);
  return port;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError(`'${value}' is not a positive integer.`);
  return n;
}

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`'${value}' is not a number of seconds.`);
  return n;
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations as Skupper's --expiry takes them: `90s`, `15m`, `1h30m`. */
export function parseDuration(value: string): number {
  const parts = [...value.matchAll(/(\d+)([smh])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) throw new InvalidArgumentError(`'${value}' is not a duration such as 15m or 1h30m.`);
  return parts.reduce((ms, p) => ms + Number(p[1]) * (DURATION_UNITS_MS[p[2] ?? 's'] ?? 0), 0);
}
