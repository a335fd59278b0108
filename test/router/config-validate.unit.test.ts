import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../router/src/errors.js';
import { buildRouterConfig } from '../../router/src/config/load.js';
import { validateEntity } from '../../router/src/config/validate.js';

/** The message of the ConfigError a config (as parsed JSON) raises. */
function messageOf(entries: unknown[]): string {
  try {
    buildRouterConfig(entries, 'r.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message.split('\n').length).toBeLessThanOrEqual(3);
    return message;
  }
  throw new Error('the config was accepted, but an error was expected');
}

describe('config validate - values skupper-router would refuse', () => {
  it('a port above 65535, below 0 or not a number', () => {
    expect(messageOf([['listener', { name: 'amqp', port: 70000 }]])).toBe(
      "r.json: listener 'amqp' (entry 1): attribute 'port' is 70000; expected a port number 0-65535 (0: any free port)",
    );
    expect(messageOf([['tcpListener', { name: 't', port: -1, address: 'a' }]])).toContain("attribute 'port' is -1; expected a port number 0-65535");
    expect(messageOf([['listener', { name: 'amqp', port: 'http' }]])).toContain('attribute \'port\' is "http"; expected a port number');
    expect(messageOf([['connector', { name: 'c', host: 'h', port: 0 }]])).toContain("connector 'c' (entry 1): attribute 'port' is 0; expected a port number 1-65535");
    expect(messageOf([['tcpConnector', { name: 'c', port: 5.5, address: 'a' }]])).toContain("tcpConnector 'c' (entry 1): attribute 'port' is 5.5");
  });

  it('a role or router mode nobody knows', () => {
    expect(messageOf([['listener', { name: 'l', port: 1, role: 'boss' }]])).toBe(
      "r.json: listener 'l' (entry 1): attribute 'role' is \"boss\"; expected one of normal, inter-router, route-container, edge, inter-edge, inter-network",
    );
    expect(messageOf([['router', { id: 'A', mode: 'core' }]])).toBe(
      "r.json: router 'A' (entry 1): attribute 'mode' is \"core\"; expected one of standalone, interior, edge",
    );
  });

  it('values of the wrong type', () => {
    expect(messageOf([['router', { id: 'A', helloIntervalSeconds: 'often' }]])).toContain("attribute 'helloIntervalSeconds' is \"often\"; expected a whole number");
    expect(messageOf([['listener', { name: 'l', port: 1, http: 'maybe' }]])).toContain("attribute 'http' is \"maybe\"; expected true or false");
    expect(messageOf([['listener', { name: 'l', port: 1, host: { a: 1 } }]])).toContain("attribute 'host' is {\"a\":1}; expected a string");
    expect(messageOf([['listener', { name: 'l', port: 1, openProperties: 'x' }]])).toContain("attribute 'openProperties' is \"x\"; expected a map");
  });

  it('AMQP limits and router ids that would break addresses', () => {
    expect(messageOf([['listener', { name: 'l', port: 1, maxFrameSize: 100 }]])).toBe(
      "r.json: listener 'l' (entry 1): attribute 'maxFrameSize' is 100; expected a whole number of at least 512",
    );
    expect(messageOf([['connector', { name: 'c', host: 'h', port: 1, cost: '0' }]])).toContain("attribute 'cost' is \"0\"; expected a whole number of at least 1");
    expect(messageOf([['router', { id: 'site/a' }]])).toContain("router 'site/a' (entry 1): attribute 'id' is \"site/a\"; expected a router id without");
    expect(messageOf([['router', { id: 'A', workerThreads: 0 }]])).toContain("attribute 'workerThreads' is 0; expected a whole number of at least 1");
  });

  it('an sslProfile reference that does not exist', () => {
    expect(messageOf([['connector', { name: 'up', host: 'h', port: 1, sslProfile: 'nope' }]])).toBe(
      "r.json: connector 'up' (entry 1): sslProfile 'nope' does not exist\n  define it with an sslProfile entity first, or fix the name",
    );
    expect(messageOf([['tcpListener', { name: 't', port: 1, address: 'a', sslProfile: 'nope' }]])).toContain("tcpListener 't' (entry 1): sslProfile 'nope' does not exist");
  });

  it('a connector without host or port', () => {
    expect(messageOf([['connector', { name: 'up', port: 55671 }]])).toBe(
      "r.json: connector 'up' (entry 1): required attribute 'host' is missing\n  expected the host name or address to connect to",
    );
    expect(messageOf([['connector', { name: 'up', host: 'peer' }]])).toContain("connector 'up' (entry 1): required attribute 'port' is missing");
  });

  it('a tcpListener without port or address, a tcpConnector without address', () => {
    expect(messageOf([['tcpListener', { name: 't', address: 'a' }]])).toBe("r.json: tcpListener 't' (entry 1): required attribute 'port' is missing");
    expect(messageOf([['tcpListener', { name: 't', port: 9000 }]])).toContain("tcpListener 't' (entry 1): required attribute 'address' is missing");
    expect(messageOf([['tcpConnector', { name: 'c', port: 9000 }]])).toContain("tcpConnector 'c' (entry 1): required attribute 'address' is missing");
  });

  it('an address with both or neither of prefix and pattern', () => {
    expect(messageOf([['address', { prefix: 'a', pattern: 'b/#' }]])).toBe("r.json: address (entry 1): give exactly one of 'prefix' and 'pattern'");
    expect(messageOf([['address', { distribution: 'closest' }]])).toContain("give exactly one of 'prefix' and 'pattern'");
  });

  it('a log entity with an unknown module or unreadable levels', () => {
    expect(messageOf([['log', { module: 'NOISE' }]])).toContain("log 'NOISE' (entry 1): attribute 'module' is \"NOISE\"; expected one of ROUTER,");
    expect(messageOf([['log', { module: 'DEFAULT', enable: 'loud+' }]])).toContain("attribute 'enable' is \"loud+\"; expected levels like");
    expect(messageOf([['log', { enable: 'info+' }]])).toContain("required attribute 'module' is missing");
  });
});

describe('config validate - validateEntity for management CREATE', () => {
  it('returns typed settings and management attributes with defaults, name and identity', () => {
    const { entity, warnings } = validateEntity('io.skupper.router.tcpConnector', { name: 'c', host: 'svc', port: 8080, address: 'svc:8080' });
    expect(warnings).toEqual([]);
    expect(entity?.type).toBe('tcpConnector');
    expect(entity?.settings).toEqual({ name: 'c', host: 'svc', port: 8080, address: 'svc:8080', verifyHostname: true });
    expect(entity?.attributes).toEqual({
      name: 'c', host: 'svc', port: '8080', address: 'svc:8080', verifyHostname: true,
      identity: 'tcpConnector/svc:8080:c', type: 'io.skupper.router.tcpConnector',
    });
  });

  it('a listener without a name is named after its identity, as skupper-router does', () => {
    const { entity } = validateEntity('listener', { host: '0.0.0.0', port: 5672 });
    expect(entity?.attributes.name).toBe('listener/0.0.0.0:5672');
    expect(entity?.attributes.identity).toBe('listener/0.0.0.0:5672');
  });

  it('strict mode refuses unknown attributes and types instead of warning', () => {
    expect(() => validateEntity('listener', { port: 1, colour: 'red' }, { strict: true })).toThrow("listener: unknown attribute 'colour'");
    expect(() => validateEntity('gizmo', {}, { strict: true })).toThrow("unknown entity type 'gizmo'");
    expect(validateEntity('listener', { port: 1, colour: 'red' }).warnings).toEqual(["listener: unknown attribute 'colour'; ignored"]);
  });

  it('operational types cannot be configured', () => {
    expect(validateEntity('connection', {}).warnings).toEqual(["entity type 'connection' is not supported by Skiff; ignored"]);
  });
});
