import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../router/src/errors.js';
import { configureLog } from '../../router/src/log.js';
import { lineAndColumn, loadRouterConfig } from '../../router/src/config/load.js';
import { TEST_DIR, WIRE_DIR } from '../support/wire-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-config-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Warnings are asserted from the result; keep them off the test output.
configureLog('CONFIG', { enable: 'none' });

let serial = 0;
/** Writes a config file (JSON text or a value to stringify) and returns its path. */
function configFile(content: unknown): string {
  const path = join(dir, `config-${++serial}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** The ConfigError a config raises; fails the test when it loads. */
function errorOf(content: unknown): ConfigError {
  const path = configFile(content);
  try {
    loadRouterConfig(path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.code).toBe('SKIFF_ERR_CONFIG');
    expect(e.message.split('\n').length).toBeLessThanOrEqual(3);
    expect(e.message.startsWith(path)).toBe(true);
    return e;
  }
  throw new Error('the config loaded, but an error was expected');
}

const configsIn = (sub: string): string[] =>
  readdirSync(join(TEST_DIR, sub)).filter((f) => f.endsWith('.json')).map((f) => join(TEST_DIR, sub, f));

describe('config load - real configs load unchanged', () => {
  const files = [
    ...configsIn('fixtures/knetsim'),
    ...configsIn('fixtures/skrouterd-wire/config'),
    ...configsIn('fixtures/skrouterd-wire/line-A-B-C/config'),
  ];

  it('finds the eight fixture configs', () => {
    expect(files).toHaveLength(8);
    expect(files.some((f) => f.startsWith(WIRE_DIR))).toBe(true);
  });

  for (const file of files) {
    it(`loads ${file.slice(TEST_DIR.length + 1)} without warnings`, () => {
      const config = loadRouterConfig(file);
      expect(config.warnings).toEqual([]);
      expect(['interior', 'edge']).toContain(config.router.mode);
    });
  }

  it('knetsim solo0: a numeric port and a string port both become numbers; siteId is accepted', () => {
    const config = loadRouterConfig(join(TEST_DIR, 'fixtures/knetsim/solo0.json'));
    expect(config.router).toMatchObject({ id: 'c0', mode: 'interior', helloMaxAgeSeconds: 3, dataConnectionCount: 2 });
    expect(config.listeners).toEqual([
      expect.objectContaining({ name: 'interior-listener', host: '', port: 55671, role: 'inter-router', maxFrameSize: 16384, maxSessionFrames: 640 }),
    ]);
    expect(config.tcpListeners).toEqual([
      { name: 'backend:8080', host: '', port: 1028, address: 'backend:8080', authenticatePeer: false, backlog: 0, observer: 'auto' },
    ]);
  });

  it('knetsim solo1: connector and tcpConnector with string ports', () => {
    const config = loadRouterConfig(join(TEST_DIR, 'fixtures/knetsim/solo1.json'));
    expect(config.connectors).toEqual([
      expect.objectContaining({ name: 'link1', host: 'localhost', port: 55671, role: 'inter-router', cost: 1, verifyHostname: true }),
    ]);
    expect(config.tcpConnectors).toEqual([{ name: 'backend', host: 'localhost', port: 8090, address: 'backend:8080', verifyHostname: true }]);
  });

  it('line A: an address entity without a name gets one, and log entities are kept', () => {
    const a = loadRouterConfig(join(TEST_DIR, 'fixtures/skrouterd-wire/line-A-B-C/config/A.json'));
    expect(a.addresses).toEqual([{ name: 'address/1', prefix: 'golden/multicast', distribution: 'multicast' }]);
    const wireA = loadRouterConfig(join(WIRE_DIR, 'config/A.json'));
    expect(wireA.logs).toEqual([{ module: 'DEFAULT', enable: 'info+' }]);
    expect(wireA.listeners.map((l) => l.role)).toEqual(['normal', 'inter-router', 'edge']);
    expect(wireA.entities.map((e) => e.attributes.identity)).toContain('tcpListener/127.0.0.1:46001:golden-echo-in');
  });
});

describe('config load - file and structure errors', () => {
  it('a missing file is named', () => {
    expect(() => loadRouterConfig(join(dir, 'absent.json'))).toThrow(`cannot read config file ${join(dir, 'absent.json')} (no such file)`);
  });

  it('malformed JSON gives its line and column', () => {
    const e = errorOf('[\n  ["router", {"id": "A"}],\n  ["listener", {"port": 5672,}]\n]\n');
    expect(e.message).toMatch(/^.*:3:\d+: malformed JSON: /);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('JSON cut short is reported at its end', () => {
    const e = errorOf('[\n  ["router", {"id": "A"}]\n');
    expect(e.message).toMatch(/:3:1: malformed JSON/);
  });

  it('text after the JSON is pointed at, without V8\'s character offset', () => {
    const e = errorOf('[\n  ["router", {}]\n]x\n');
    expect(e.message).toMatch(/:3:2: malformed JSON: [^\n]*after JSON$/);
    expect(e.message).not.toContain('position');
  });

  it('a document that is not a list', () => {
    expect(errorOf({ router: { id: 'A' } }).message).toContain('the configuration is not a list');
  });

  it('an entry that is not a [type, attributes] pair names its position', () => {
    expect(errorOf([['router', { id: 'A' }], ['listener']]).message).toContain('entry 2 is not a [entityType, {attributes}] pair');
    expect(errorOf([['router', [1, 2]]]).message).toContain('entry 1 is not a');
  });

  it('duplicate names are refused whatever the types, naming both entries (skrouterd: unique attribute name)', () => {
    const sameType = errorOf([
      ['listener', { name: 'amqp', port: 5672 }],
      ['listener', { name: 'amqp', port: 5673 }],
    ]);
    expect(sameType.message).toContain("listener 'amqp' (entry 2) has a duplicate name (first at entry 1, listener 'amqp')");
    const otherTypes = errorOf([
      ['tcpListener', { name: 'x', port: 9000, address: 'a' }],
      ['tcpConnector', { name: 'x', host: '127.0.0.1', port: 9001, address: 'a' }],
    ]);
    expect(otherTypes.message).toContain(
      ".json: tcpConnector 'x' (entry 2) has a duplicate name (first at entry 1, tcpListener 'x')\n  every entity needs its own name, whatever its type",
    );
    expect(otherTypes.context).toMatchObject({ entity: "tcpConnector 'x'", attribute: 'name' });
  });

  it('a second router entity is refused', () => {
    expect(errorOf([['router', { id: 'A' }], ['router', { id: 'B' }]]).message).toContain('is a second router entity (first at entry 1)');
  });
});

describe('config load - warnings for what Skiff understands but does not run', () => {
  it('unknown and unsupported types, unknown attributes and unsupported roles are skipped with a warning', () => {
    const config = loadRouterConfig(configFile([
      ['router', { id: 'A', mode: 'interior', colour: 'blue' }],
      ['frobnicator', { name: 'x' }],
      ['site', { name: 's' }],
      ['listener', { name: 'rc', port: 5000, role: 'route-container' }],
      ['connector', { name: 'net', host: 'h', port: 5001, role: 'inter-network' }],
      ['listener', { name: 'ok', port: 5002 }],
    ]));
    expect(config.warnings).toEqual([
      "router 'A' (entry 1): unknown attribute 'colour'; ignored",
      "unknown entity type 'frobnicator' (entry 2); ignored",
      "entity type 'site' (entry 3) is not supported by Skiff; ignored",
      "listener 'rc' (entry 4): role 'route-container' is not supported by Skiff (supported: normal, inter-router, edge); entity ignored",
      "connector 'net' (entry 5): role 'inter-network' is not supported by Skiff (supported: normal, inter-router, edge); entity ignored",
    ]);
    expect(config.listeners.map((l) => l.name)).toEqual(['ok']);
    expect(config.connectors).toEqual([]);
  });

  it('a config without a router entity gets a standalone router with a random id', () => {
    const one = loadRouterConfig(configFile([['listener', { port: 5672 }]]));
    const two = loadRouterConfig(configFile([]));
    expect(one.router.mode).toBe('standalone');
    expect(one.router.id).toMatch(/^standalone-[0-9a-f]{12}$/);
    expect(one.router.id).not.toBe(two.router.id);
    expect(one.entities[0]?.type).toBe('router');
  });
});

describe('config load - lenient values, as skupper-router reads them', () => {
  it('numbers in strings, yes/no booleans, kebab-case names and enum indexes', () => {
    const config = loadRouterConfig(configFile([
      ['router', { id: 'A', mode: 1, 'hello-max-age-seconds': '5', workerThreads: '2' }],
      ['listener', { name: 'l', port: '5672', authenticatePeer: 'yes', http: 'On', maxSessionFrames: ' 640 ', cost: 3 }],
      ['tcp_listener', { name: 't', port: 9000, address: 'a', 'ssl-profile': 'p' }],
      ['ssl-profile', { name: 'p' }],
      ['connector', { name: 'c', host: 'peer', port: 'amqps', verifyHostname: 'FALSE', role: 'edge' }],
    ]));
    expect(config.router).toMatchObject({ mode: 'interior', helloMaxAgeSeconds: 5, workerThreads: 2, dataConnectionCount: 1 });
    expect(config.listeners[0]).toMatchObject({ port: 5672, authenticatePeer: true, http: true, maxSessionFrames: 640, cost: 3 });
    expect(config.connectors[0]).toMatchObject({ port: 5671, verifyHostname: false, role: 'edge' });
    expect(config.tcpListeners[0]).toMatchObject({ name: 't', sslProfile: 'p' });
    expect(config.warnings).toEqual([]);
  });

  it('dataConnectionCount: "auto" is (workerThreads + 1) / 2, a number is taken, anything else warns', () => {
    const load = (dcc: unknown): ReturnType<typeof loadRouterConfig> =>
      loadRouterConfig(configFile([['router', { id: 'A', workerThreads: 4, dataConnectionCount: dcc }]]));
    expect(load('auto').router.dataConnectionCount).toBe(2);
    expect(load('3').router.dataConnectionCount).toBe(3);
    const bad = load('lots');
    expect(bad.router.dataConnectionCount).toBe(2);
    expect(bad.warnings).toEqual(['router \'A\' (entry 1): dataConnectionCount "lots" is neither "auto" nor a number; using auto (2)']);
  });
});

describe('config load - lineAndColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab\ncd\nef', 8)).toEqual({ line: 3, column: 3 });
  });
});
