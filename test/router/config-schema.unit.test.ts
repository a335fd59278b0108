import { describe, expect, it } from 'vitest';
import {
  ENTITY_TYPES,
  allowsOperation,
  baseTypesOf,
  findAttribute,
  findEntityType,
  isConfigurable,
  operationsOf,
  shortTypeName,
} from '../../router/src/config/schema.js';

const spec = (name: string) => {
  const found = findEntityType(name);
  if (found === undefined) throw new Error(`no type ${name}`);
  return found;
};

describe('config schema - the entity type table', () => {
  it('has the configurable and operational types of the brief', () => {
    expect(ENTITY_TYPES.map((t) => t.name)).toEqual([
      'router', 'sslProfile', 'listener', 'connector', 'tcpListener', 'tcpConnector', 'log', 'router.config.address',
      'connection', 'router.link', 'router.address', 'router.node', 'routerMetrics', 'network', 'allocator',
      'router.config.autoLink',
    ]);
    expect(ENTITY_TYPES.filter(isConfigurable)).toHaveLength(8);
  });

  it('resolves short, config and full names to the same type', () => {
    expect(spec('address')).toBe(spec('router.config.address'));
    expect(spec('io.skupper.router.router.config.address')).toBe(spec('address'));
    expect(spec('io.skupper.router.tcpListener')).toBe(spec('tcpListener'));
    expect(findEntityType('io.skupper.router.address')).toBeUndefined();
    expect(findEntityType('tcplistener')).toBeUndefined();
    expect(shortTypeName('io.skupper.router.router.node')).toBe('router.node');
  });

  for (const type of ENTITY_TYPES) {
    it(`${type.name}: attribute names are unique and enums and defaults are consistent`, () => {
      const names = type.attributes.map((a) => a.name);
      expect(new Set(names).size).toBe(names.length);
      // skupper-router's routerMetrics columns have no name; every other type has all three.
      const common = type.name === 'routerMetrics' ? ['identity', 'type'] : ['name', 'identity', 'type'];
      for (const name of common) expect(names).toContain(name);
      for (const a of type.attributes) {
        if (a.kind === 'enum') expect(a.values?.length).toBeGreaterThan(0);
        if (a.default === undefined) continue;
        if (a.kind === 'enum') expect(a.values).toContain(a.default);
        if (a.kind === 'integer') expect(Number.isInteger(a.default)).toBe(true);
        if (a.kind === 'boolean') expect(typeof a.default).toBe('boolean');
        if (a.kind === 'string') expect(typeof a.default).toBe('string');
      }
    });
  }

  it('lists the Python agent types own attributes first, then name, identity, type', () => {
    for (const type of ENTITY_TYPES.filter((t) => t.agent === 'python')) {
      expect(type.attributes.slice(-3).map((a) => a.name)).toEqual(['name', 'identity', 'type']);
    }
    expect(spec('connection').attributes.slice(0, 3).map((a) => a.name)).toEqual(['name', 'identity', 'host']);
    expect(spec('router.link').attributes.slice(0, 3).map((a) => a.name)).toEqual(['name', 'identity', 'type']);
  });

  it("carries skrouter.json's defaults", () => {
    const defaultOf = (type: string, attribute: string): unknown => findAttribute(spec(type), attribute)?.default;
    expect(defaultOf('router', 'mode')).toBe('standalone');
    expect(defaultOf('router', 'raIntervalSeconds')).toBe(30);
    expect(defaultOf('router', 'dataConnectionCount')).toBe('auto');
    expect(defaultOf('listener', 'host')).toBe('');
    expect(defaultOf('listener', 'maxFrameSize')).toBe(16384);
    expect(defaultOf('listener', 'idleTimeoutSeconds')).toBe(16);
    expect(defaultOf('listener', 'websockets')).toBe(true);
    expect(defaultOf('connector', 'host')).toBe('127.0.0.1');
    expect(defaultOf('connector', 'verifyHostname')).toBe(true);
    expect(defaultOf('tcpListener', 'observer')).toBe('auto');
    expect(defaultOf('address', 'distribution')).toBe('balanced');
  });

  it('allows the operations skupper-router allows per type, READ last', () => {
    expect(operationsOf(spec('listener'))).toEqual(['CREATE', 'DELETE', 'READ']);
    expect(operationsOf(spec('tcpListener'))).toEqual(['CREATE', 'UPDATE', 'DELETE', 'READ']);
    expect(operationsOf(spec('tcpConnector'))).toEqual(['CREATE', 'DELETE', 'READ']);
    expect(operationsOf(spec('sslProfile'))).toEqual(['CREATE', 'UPDATE', 'DELETE', 'READ']);
    expect(operationsOf(spec('log'))).toEqual(['UPDATE', 'READ']);
    expect(operationsOf(spec('router'))).toEqual(['READ']);
    expect(allowsOperation(spec('router.node'), 'DELETE')).toBe(false);
    expect(allowsOperation(spec('address'), 'CREATE')).toBe(true);
  });

  it('marks who may set what: create-only, updatable and read-only attributes', () => {
    expect(findAttribute(spec('tcpListener'), 'observer')).toMatchObject({ create: true, update: true });
    expect(findAttribute(spec('tcpListener'), 'port')?.update).toBeUndefined();
    expect(findAttribute(spec('tcpListener'), 'connectionsOpened')?.create).toBeUndefined();
    expect(findAttribute(spec('connector'), 'saslPassword')?.hidden).toBe(true);
  });

  it('gives each type its bases for GET-TYPES', () => {
    expect(baseTypesOf(spec('listener'))).toEqual(['io.skupper.router.configurationEntity', 'io.skupper.router.entity']);
    expect(baseTypesOf(spec('connection'))).toEqual(['io.skupper.router.operationalEntity', 'io.skupper.router.entity']);
  });
});
