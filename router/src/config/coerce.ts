/**
 * Turns attribute values into the schema's types as leniently as skupper-router's Python schema
 * does: integers may be numeric strings ("55671"), booleans may be "yes"/"on"/"true" (any case) or
 * numbers, strings may be numbers (a port of 5672 becomes "5672"), and an enum may be given by its
 * index. Anything else is a ConfigError naming the entity, the attribute and what is expected.
 */
import { ConfigError } from '../errors.js';
import type { AttributeSpec } from './schema-types.js';

/** A JSON-like attribute value as stored for an entity. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** Attribute values by name, as in a config file entry or a management body. */
export type AttributeMap = Record<string, AttributeValue>;

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { yes: true, true: true, on: true, no: false, false: false, off: false };

/** A short, quoted rendering of a value for error messages. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The ConfigError for a value that does not fit: `<entity>: attribute 'x' is 7; expected ...`. */
export function badValue(entity: string, attribute: string, value: unknown, expected: string): ConfigError {
  return new ConfigError(`${entity}: attribute '${attribute}' is ${showValue(value)}; expected ${expected}`, {
    entity,
    attribute,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Parses a whole number from a number or a decimal string with optional sign and blanks. */
export function integerOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
    const n = Number(value.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/** Converts one attribute value to the type the schema gives it, or throws a ConfigError. */
export function coerceAttribute(spec: AttributeSpec, value: unknown, entity: string): AttributeValue {
  if (value === null) return null;
  switch (spec.kind) {
    case 'string':
    case 'path':
    case 'entityId':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw badValue(entity, spec.name, value, 'a string');
    case 'integer': {
      const n = integerOf(value);
      if (n === undefined) throw badValue(entity, spec.name, value, 'a whole number');
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      if (typeof value === 'string') {
        const word = BOOLEAN_WORDS[value.trim().toLowerCase()];
        if (word !== undefined) return word;
      }
      throw badValue(entity, spec.name, value, 'true or false (also yes/no, on/off)');
    case 'enum':
      return enumValue(spec, value, entity);
    case 'map':
    case 'properties':
      if (isRecord(value)) return plainMap(value, spec, entity);
      throw badValue(entity, spec.name, value, 'a map');
    case 'list':
      if (Array.isArray(value)) return value.map((item) => plainValue(item, spec, entity));
      throw badValue(entity, spec.name, value, 'a list');
  }
}

function enumValue(spec: AttributeSpec, value: unknown, entity: string): string {
  const values = spec.values ?? [];
  if (typeof value === 'string' && values.includes(value)) return value;
  const index = integerOf(value);
  const byIndex = index === undefined ? undefined : values[index];
  if (byIndex !== undefined) return byIndex;
  throw badValue(entity, spec.name, value, `one of ${values.join(', ')}`);
}

function plainMap(value: Record<string, unknown>, spec: AttributeSpec, entity: string): AttributeMap {
  const out: AttributeMap = {};
  for (const [key, item] of Object.entries(value)) out[key] = plainValue(item, spec, entity);
  return out;
}

function plainValue(value: unknown, spec: AttributeSpec, entity: string): AttributeValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((item) => plainValue(item, spec, entity));
  if (isRecord(value)) return plainMap(value, spec, entity);
  throw badValue(entity, spec.name, value, 'JSON values only');
}
