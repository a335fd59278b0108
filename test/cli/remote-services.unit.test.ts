import { describe, expect, it } from 'vitest';
import { RemoteServiceTable } from '../../common/src/site-sync/remote-services.js';
import type { ServiceDefinition } from '../../common/src/site-sync/service-definition.js';

const tcp = (address: string, port = 8080): ServiceDefinition => ({ address, protocol: 'tcp', ports: [port] });
const none = new Set<string>();

describe('remote services - the receiving side of service sync', () => {
  it('adds, updates and removes definitions from an origin snapshot', () => {
    const table = new RemoteServiceTable([], 0);
    expect(table.applySnapshot('east', [tcp('a'), tcp('b')], none, 0)).toBe(true);
    expect(table.applySnapshot('east', [tcp('a'), tcp('b')], none, 1)).toBe(false);
    expect(table.applySnapshot('east', [tcp('a', 9090)], none, 2)).toBe(true);
    expect(table.list()).toEqual([{ ...tcp('a', 9090), origin: 'east' }]);
  });

  it('lets the first definer keep an address, and hides addresses defined locally', () => {
    const table = new RemoteServiceTable([], 0);
    table.applySnapshot('east', [tcp('a')], none, 0);
    expect(table.applySnapshot('north', [tcp('a', 1), tcp('b')], new Set(['b']), 0)).toBe(false);
    expect(table.list()).toEqual([{ ...tcp('a'), origin: 'east' }]);
    table.applySnapshot('east', [], none, 1);
    table.applySnapshot('north', [tcp('a', 1)], none, 1);
    expect(table.list()).toEqual([{ ...tcp('a', 1), origin: 'north' }]);
    expect(table.yieldTo(new Set(['a']))).toBe(true);
    expect(table.list()).toEqual([]);
  });

  it('expires an origin not heard for longer than the grace, and counts saved origins as heard at start', () => {
    const table = new RemoteServiceTable([{ ...tcp('old'), origin: 'west' }], 1000);
    table.applySnapshot('east', [tcp('a')], none, 2000);
    expect(table.expire(4000, 3000)).toEqual([]);
    expect(table.expire(4500, 3000)).toEqual(['west']);
    table.heard('east', 6000);
    expect(table.expire(8000, 3000)).toEqual([]);
    expect(table.list()).toEqual([{ ...tcp('a'), origin: 'east' }]);
    expect(table.expire(9500, 3000)).toEqual(['east']);
    expect(table.list()).toEqual([]);
  });
});
