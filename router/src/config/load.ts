/**
 * Reads a skupper-router JSON config file — a list of `[entityType, {attributes}]` pairs — into
 * typed settings. Like skupper-router, sslProfiles are taken first so that listeners and
 * connectors may name a profile defined further down; a missing `router` entity gets defaults.
 * Problems Skiff can live with become warnings (returned and logged to CONFIG); anything else is a
 * ConfigError whose first line starts with the file name.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { logger } from '../log.js';
import { displayTypeName } from './identity.js';
import { findEntityType } from './schema.js';
import type { RouterConfig } from './settings.js';
import { validateEntity, type ValidatedEntity } from './validate.js';

const log = logger('CONFIG');

interface Entry {
  type: string;
  attributes: Record<string, unknown>;
  where: string;
}

/** Line and column (1-based) of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Parses JSON, turning a syntax error into a ConfigError that gives the line and column. */
export function parseJsonConfig(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message;
    const match = /position (\d+)/.exec(reason);
    const offset = match === null ? text.length : Number(match[1]);
    const { line, column } = lineAndColumn(text, offset);
    // V8 appends the offset (and sometimes a quote of the text); the line:column replaces both.
    const short = reason.replace(/ at position \d+.*$/s, '').replace(/ in JSON$/, '').replace(/, ".*" is not valid JSON$/s, '');
    throw new ConfigError(`${file}:${line}:${column}: malformed JSON: ${short}`, { file });
  }
}

function entriesOf(parsed: unknown, file: string): Entry[] {
  const shape = 'expected a JSON list of [entityType, {attributes}] pairs, e.g. [["router", {"mode": "interior"}]]';
  if (!Array.isArray(parsed)) throw new ConfigError(`${file}: the configuration is not a list\n  ${shape}`, { file });
  return parsed.map((item: unknown, index) => {
    const where = `entry ${index + 1}`;
    const pair = Array.isArray(item) && item.length === 2 ? (item as unknown[]) : undefined;
    const [type, attributes] = pair ?? [];
    if (typeof type !== 'string' || typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
      throw new ConfigError(`${file}: ${where} is not a [entityType, {attributes}] pair\n  ${shape}`, { file });
    }
    return { type, attributes: attributes as Record<string, unknown>, where };
  });
}

/** Adds the file name to a ConfigError's first line. */
function inFile(error: unknown, file: string): unknown {
  if (!(error instanceof ConfigError)) return error;
  return new ConfigError(`${file}: ${error.message}`, { ...error.context, file }, { cause: error });
}

/** Validates a parsed config (the list of pairs) as if read from `file`. */
export function buildRouterConfig(parsed: unknown, file: string): RouterConfig {
  const entries = entriesOf(parsed, file);
  const warnings: string[] = [];
  const profiles = new Set<string>();
  const seen = new Map<string, { where: string; label: string }>();
  const counters = new Map<string, number>();
  const validated: ValidatedEntity[] = [];
  const isProfile = (e: Entry): boolean => findEntityType(e.type)?.name === 'sslProfile';
  const ordered = [...entries.filter(isProfile), ...entries.filter((e) => !isProfile(e))];
  for (const entry of ordered) {
    const typeName = findEntityType(entry.type)?.name ?? entry.type;
    const counter = (counters.get(typeName) ?? 0) + 1;
    counters.set(typeName, counter);
    let result;
    try {
      result = validateEntity(entry.type, entry.attributes, { hasSslProfile: (n) => profiles.has(n), counter, where: entry.where });
    } catch (error) {
      throw inFile(error, file);
    }
    warnings.push(...result.warnings);
    const entity = result.entity;
    if (entity === undefined) continue;
    const label = `${displayTypeName(entity.spec)} '${String(entity.attributes.name)}'`;
    // Names are unique across all types, as in skupper-router's schema (a tcpListener and a
    // tcpConnector may not share one); the router is a singleton whatever its name.
    const nameKey = `name/${String(entity.attributes.name)}`;
    const firstRouter = entity.type === 'router' ? seen.get('router') : undefined;
    const first = firstRouter ?? seen.get(nameKey);
    if (first !== undefined) {
      const what = firstRouter !== undefined
        ? `is a second router entity (first at ${first.where})\n  a config has one router entity`
        : `has a duplicate name (first at ${first.where}, ${first.label})\n  every entity needs its own name, whatever its type`;
      throw new ConfigError(`${file}: ${label} (${entry.where}) ${what}`, {
        file,
        entity: label,
        attribute: 'name',
      });
    }
    seen.set(nameKey, { where: entry.where, label });
    if (entity.type === 'router') seen.set('router', { where: entry.where, label });
    if (entity.type === 'sslProfile') profiles.add(entity.settings.name);
    validated.push(entity);
  }
  for (const text of warnings) log.warning(`${file}: ${text}`);
  return assemble(validated, warnings, file);
}

function assemble(entities: ValidatedEntity[], warnings: string[], file: string): RouterConfig {
  let router: RouterConfig['router'] | undefined;
  const config: Omit<RouterConfig, 'router'> = {
    sslProfiles: [], listeners: [], connectors: [], addresses: [], logs: [], tcpListeners: [], tcpConnectors: [], entities, warnings,
  };
  for (const e of entities) {
    switch (e.type) {
      case 'router': router = e.settings; break;
      case 'sslProfile': config.sslProfiles.push(e.settings); break;
      case 'listener': config.listeners.push(e.settings); break;
      case 'connector': config.connectors.push(e.settings); break;
      case 'router.config.address': config.addresses.push(e.settings); break;
      case 'log': config.logs.push(e.settings); break;
      case 'tcpListener': config.tcpListeners.push(e.settings); break;
      case 'tcpConnector': config.tcpConnectors.push(e.settings); break;
    }
  }
  if (router === undefined) {
    const result = validateEntity('router', {}, { where: file });
    if (result.entity?.type !== 'router') throw new ConfigError(`${file}: cannot make a default router entity`, { file });
    router = result.entity.settings;
    entities.unshift(result.entity);
  }
  return { router, ...config };
}

/** Reads, parses and validates a skupper-router JSON config file. */
export function loadRouterConfig(path: string): RouterConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new ConfigError(`cannot read config file ${path} (${reason})`, { file: path });
  }
  return buildRouterConfig(parseJsonConfig(text, path), path);
}
