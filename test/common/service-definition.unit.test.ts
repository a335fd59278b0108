import { describe, expect, test } from 'vitest';
import { definitionsFrom, sameDefinition, type ServiceDefinition } from '../../common/src/site-sync/service-definition.js';

const db: ServiceDefinition = { address: 'db', protocol: 'tcp', ports: [8080], headless: { name: 'db', size: 2, ports: [8080] } };

describe('service-definition', () => {
  test('service-definition - a headless part survives the wire; a malformed one leaves an ordinary definition', () => {
    expect(definitionsFrom(JSON.parse(JSON.stringify([db])))).toEqual([db]);
    const malformed = [
      { address: 'a', protocol: 'tcp', ports: [1], headless: { name: 'a', size: -1, ports: [] } },
      { address: 'b', protocol: 'tcp', ports: [1], headless: 'b' },
      { address: 'c', protocol: 'tcp', ports: [1], headless: { size: 2, ports: [1] } },
      { address: 'd', protocol: 'tcp', ports: [1], headless: { name: 'd', size: 1, ports: [1, 'x'] } },
    ];
    expect(definitionsFrom(malformed)).toEqual([
      { address: 'a', protocol: 'tcp', ports: [1] },
      { address: 'b', protocol: 'tcp', ports: [1] },
      { address: 'c', protocol: 'tcp', ports: [1] },
      { address: 'd', protocol: 'tcp', ports: [1], headless: { name: 'd', size: 1, ports: [1] } },
    ]);
  });

  test('service-definition - equality compares the headless part', () => {
    const plain: ServiceDefinition = { address: 'db', protocol: 'tcp', ports: [8080] };
    expect(sameDefinition(db, { ...db, headless: { name: 'db', size: 2, ports: [8080] } })).toBe(true);
    expect(sameDefinition(db, plain)).toBe(false);
    expect(sameDefinition(plain, db)).toBe(false);
    expect(sameDefinition(db, { ...db, headless: { name: 'db', size: 3, ports: [8080] } })).toBe(false);
    expect(sameDefinition(plain, { ...plain })).toBe(true);
  });
});
