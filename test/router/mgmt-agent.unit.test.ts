import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../router/src/amqp/codec/message.js';
import { AmqpMap, numberOf, textOf, type AmqpValue } from '../../router/src/amqp/codec/values.js';
import { buildRouterConfig } from '../../router/src/config/load.js';
import type { TcpConnectorSettings } from '../../router/src/config/settings.js';
import { configureLog, logger } from '../../router/src/log.js';
import { ManagementAgent } from '../../router/src/mgmt/agent.js';
import { createRouterRegistry, type RouterHooks } from '../../router/src/mgmt/router-registry.js';
import { plainOf } from '../../router/src/mgmt/wire-values.js';

interface Reply {
  status: number | undefined;
  description: string | undefined;
  body: unknown;
  message: Message;
}

const T = 'io.skupper.router.';

function request(properties: Record<string, AmqpValue>, body: AmqpValue = new AmqpMap()): Message {
  return {
    properties: { replyTo: 'amqp:/_topo/0/A/temp.reply', correlationId: 'c-1' },
    applicationProperties: AmqpMap.withStringKeys(properties),
    body,
  };
}

const map = (record: Record<string, AmqpValue>): AmqpMap => AmqpMap.withStringKeys(record);

describe('mgmt agent - CRUD, QUERY and errors as skupper-router answers them', () => {
  let agent: ManagementAgent;
  let created: TcpConnectorSettings[];
  let deleted: string[];
  let rejectNext: Error | undefined;

  async function send(properties: Record<string, AmqpValue>, body?: AmqpValue): Promise<Reply> {
    const message = await agent.handle(request(properties, body));
    if (message === undefined) throw new Error('no answer');
    return {
      status: numberOf(message.applicationProperties?.get('statusCode')),
      description: textOf(message.applicationProperties?.get('statusDescription')),
      body: plainOf(message.body),
      message,
    };
  }

  beforeEach(() => {
    created = [];
    deleted = [];
    rejectNext = undefined;
    const config = buildRouterConfig(
      [
        ['router', { id: 'A', mode: 'interior' }],
        ['listener', { name: 'amqp', host: '127.0.0.1', port: 5672 }],
        ['tcpListener', { name: 'web', host: '127.0.0.1', port: 9000, address: 'web:80' }],
        ['address', { prefix: 'mc', distribution: 'multicast' }],
      ],
      'A.json',
    );
    const hooks: RouterHooks = {
      tcpConnector: {
        onCreate: async (settings) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (rejectNext !== undefined) throw rejectNext;
          created.push(settings);
        },
        onDelete: (settings) => {
          deleted.push(settings.name);
        },
      },
    };
    const { registry } = createRouterRegistry(config, hooks, {
      'router.node': () => [{ name: 'router.node/A', identity: 'router.node/A', id: 'A', nextHop: '(self)' }],
      connection: () => [{ name: 'connection/127.0.0.1:40000', identity: '1', host: '127.0.0.1:40000' }],
    });
    agent = new ManagementAgent(registry, { routerId: 'A', knownRouters: () => ['B', 'A', 'C'] });
  });

  it('ignores a request without reply-to; echoes correlation-id and answers to reply-to', async () => {
    expect(await agent.handle({ applicationProperties: map({ operation: 'QUERY' }) })).toBeUndefined();
    const reply = await send({ operation: 'GET-MGMT-NODES' });
    expect(reply.message.properties).toEqual({ to: 'amqp:/_topo/0/A/temp.reply', correlationId: 'c-1' });
    expect(reply.message.header).toEqual({ durable: false });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(['amqp:/_topo/0/A/$management', 'amqp:/_topo/0/B/$management', 'amqp:/_topo/0/C/$management']);
  });

  it('CREATE tcpConnector: 201 with defaults and identity, the hook runs, READ and QUERY see it', async () => {
    const reply = await send({ operation: 'CREATE', type: `${T}tcpConnector`, name: 'db' }, map({ host: 'db.local', port: 5432, address: 'db' }));
    expect(reply.status).toBe(201);
    expect(reply.description).toBe('Created');
    expect(reply.body).toEqual({
      address: 'db', host: 'db.local', port: '5432', verifyHostname: true,
      name: 'db', identity: 'tcpConnector/db.local:5432:db', type: `${T}tcpConnector`,
    });
    expect(created).toEqual([{ name: 'db', host: 'db.local', port: 5432, address: 'db', verifyHostname: true }]);
    const byIdentity = await send({ operation: 'READ', identity: 'tcpConnector/db.local:5432:db' });
    expect(byIdentity.status).toBe(200);
    expect(byIdentity.body).toMatchObject({ name: 'db', port: '5432' });
    const query = await send({ operation: 'QUERY', entityType: `${T}tcpConnector` }, map({ attributeNames: ['name', 'port'] }));
    expect(query.body).toEqual({ attributeNames: ['name', 'port'], results: [['db', '5432']] });
  });

  it('handles requests one at a time: a READ sent during a slow CREATE sees the new entity', async () => {
    const create = agent.handle(request({ operation: 'CREATE', type: 'tcpConnector', name: 'x' }, map({ host: 'h', port: 1, address: 'a' })));
    const read = send({ operation: 'READ', type: 'tcpConnector', name: 'x' });
    expect((await read).status).toBe(200);
    expect(numberOf((await create)?.applicationProperties?.get('statusCode'))).toBe(201);
  });

  it('CREATE errors: invalid values, duplicates, rejected hooks, conflicts, wrong attributes', async () => {
    const create = (props: Record<string, AmqpValue>, body: Record<string, AmqpValue>) =>
      send({ operation: 'CREATE', ...props }, map(body));
    const badPort = await create({ type: 'tcpConnector', name: 'p' }, { host: 'h', port: 99999, address: 'a' });
    expect([badPort.status, badPort.description]).toEqual([400, "tcpConnector 'p': attribute 'port' is 99999; expected a port number 1-65535"]);
    const dup = await create({ type: 'tcpListener', name: 'web' }, { port: 9001, address: 'b' });
    expect([dup.status, dup.description]).toEqual([400, `adding ${T}tcpListener 'web' duplicates unique attribute 'name' from existing ${T}tcpListener 'web'; choose another name`]);
    // Names are unique across types, as skrouterd's Python agent has them; its C agent's types check their own.
    const otherType = await create({ type: 'tcpConnector', name: 'amqp' }, { host: 'h', port: 1, address: 'a' });
    expect([otherType.status, otherType.description]).toEqual([400, `adding ${T}tcpConnector 'amqp' duplicates unique attribute 'name' from existing ${T}listener 'amqp'; choose another name`]);
    expect((await create({ type: 'address', name: 'web' }, { prefix: 'p' })).status).toBe(201);
    expect(await create({ type: 'address', name: 'web' }, { prefix: 'q' })).toMatchObject({ status: 400, description: 'Name conflicts with an existing entity' });
    rejectNext = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:1'), { code: 'EADDRINUSE', syscall: 'listen' });
    const rejected = await create({ type: 'tcpConnector', name: 'r' }, { host: 'h', port: 1, address: 'a' });
    expect([rejected.status, rejected.description]).toEqual([400, 'listen EADDRINUSE: address already in use 127.0.0.1:1']);
    expect((await send({ operation: 'READ', name: 'r' })).status).toBe(404);
    expect((await create({ type: 'tcpConnector', name: 'a' }, { name: 'b', host: 'h', port: 1, address: 'x' })).description).toBe("Conflicting values for 'name'");
    expect((await create({ type: 'tcpConnector', name: 'a' }, { host: 'h', port: 1, address: 'x', connectionsOpened: 3 })).description).toBe(
      "Cannot set attribute 'connectionsOpened' in CREATE",
    );
    const unknown = await create({ type: 'tcpConnector', name: 'a' }, { host: 'h', port: 1, address: 'x', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.description).toMatch(/^tcpConnector 'a': unknown attribute 'colour'; tcpConnector attributes are: address, host, port/);
    expect((await create({ type: 'listener', name: 'l' }, { port: 1, identity: 'x' })).description).toBe("'identity' attribute cannot be specified");
    expect((await create({ type: 'listener', name: 'l' }, { port: 1, sslProfile: 'none' })).description).toContain("sslProfile 'none' does not exist");
    expect((await create({ type: 'listener', name: 'l' }, { port: 1, role: 'route-container' })).description).toContain("role 'route-container' is not supported by Skiff");
    expect(await create({}, { port: 1 })).toMatchObject({ status: 400, description: "No 'type' attribute in the CREATE request" });
    expect(await create({ type: `${T}gizmo` }, {})).toMatchObject({ status: 400, description: `No such entity type '${T}gizmo'` });
    for (const body of [Buffer.from('port=1'), ['port', 1]]) {
      expect(await send({ operation: 'CREATE', type: 'tcpConnector', name: 'z' }, body)).toMatchObject({
        status: 400,
        description: 'CREATE body must be a map of attributes',
      });
    }
    expect(created).toEqual([]);
  });

  it('operations a type does not allow are 501', async () => {
    const log = await send({ operation: 'CREATE', type: 'log' }, map({ module: 'ROUTER' }));
    expect([log.status, log.description]).toEqual([501, `Operation 'CREATE' not implemented for '${T}log' ["UPDATE","READ"]`]);
    expect((await send({ operation: 'CREATE', type: 'connection' }, map({}))).status).toBe(501);
    expect((await send({ operation: 'DELETE', type: 'router', name: 'router/A' })).status).toBe(501);
    expect((await send({ operation: 'DELETE', type: 'router.node', name: 'router.node/A' })).status).toBe(501);
    expect((await send({ operation: 'FROBNICATE', name: 'web' })).status).toBe(501);
    expect((await send({ operation: 'GET-LOG' })).status).toBe(501);
  });

  it('READ finds by name or identity, within the requested type', async () => {
    const byName = await send({ operation: 'READ', name: 'web' });
    expect(byName.body).toMatchObject({ identity: 'tcpListener/127.0.0.1:9000:web', port: '9000', observer: 'auto' });
    expect((await send({ operation: 'READ', type: 'address', identity: '1' })).body).toMatchObject({ prefix: 'mc', distribution: 'multicast' });
    expect(await send({ operation: 'READ', type: 'listener', name: 'web' })).toMatchObject({ status: 404, description: 'No entity with name=web' });
    expect(await send({ operation: 'READ', name: 'web', identity: 'listener/x' })).toMatchObject({ status: 400, description: 'Conflicting name=web identity=listener/x' });
    expect(await send({ operation: 'READ', type: 'listener' })).toMatchObject({ status: 400, description: 'listener: No name or identity provided' });
    expect(await send({})).toMatchObject({ status: 400, description: "No 'operation' property in the request" });
    expect(await send({ operation: 'READ', identity: '1' })).toMatchObject({
      status: 400,
      description: `identity=1 matches entities of several types (${T}router.config.address, ${T}connection); give the type`,
    });
    expect((await send({ operation: 'READ', type: 'connection', identity: '1' })).body).toMatchObject({ host: '127.0.0.1:40000' });
  });

  it('DELETE answers 204, calls the hook, and the entity is gone', async () => {
    await send({ operation: 'CREATE', type: 'tcpConnector', name: 'gone' }, map({ host: 'h', port: 1, address: 'a' }));
    const reply = await send({ operation: 'DELETE', type: `${T}tcpConnector`, name: 'gone' });
    expect([reply.status, reply.description, reply.body]).toEqual([204, 'No Content', {}]);
    expect(deleted).toEqual(['gone']);
    expect((await send({ operation: 'DELETE', type: 'tcpConnector', name: 'gone' })).status).toBe(404);
  });

  it('UPDATE changes updatable attributes only; an unchanged value of another is accepted', async () => {
    const ok = await send({ operation: 'UPDATE', type: 'tcpListener', name: 'web' }, map({ observer: 'none', port: '9000' }));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ observer: 'none', port: '9000', identity: 'tcpListener/127.0.0.1:9000:web' });
    expect((await send({ operation: 'READ', name: 'web' })).body).toMatchObject({ observer: 'none' });
    const port = await send({ operation: 'UPDATE', type: 'tcpListener', name: 'web' }, map({ port: 9001 }));
    expect([port.status, port.description]).toEqual([400, "Cannot update attribute 'port' in UPDATE"]);
    const bad = await send({ operation: 'UPDATE', type: 'tcpListener', name: 'web' }, map({ observer: 'http3' }));
    expect(bad.status).toBe(400);
    expect(bad.description).toContain("attribute 'observer' is \"http3\"; expected one of none, auto, http1, http2");
  });

  it('an internal failure is a 500, its stack logged under the id of the connection the request came on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-agent-log-'));
    const file = join(dir, 'agent.log');
    configureLog('AGENT', { outputFile: file });
    try {
      rejectNext = new TypeError("Cannot read properties of undefined (reading 'port')");
      const message = await agent.handle(request({ operation: 'CREATE', type: 'tcpConnector', name: 'bug' }, map({ host: 'h', port: 1, address: 'a' })), '[C7][L2]');
      expect(numberOf(message?.applicationProperties?.get('statusCode'))).toBe(500);
      expect(textOf(message?.applicationProperties?.get('statusDescription'))).toBe("Internal error: Cannot read properties of undefined (reading 'port')");
      expect((await send({ operation: 'READ', name: 'bug' })).status).toBe(404);
      const log = readFileSync(file, 'utf8');
      expect(log).toMatch(/AGENT \(error\) \[C7\]\[L2\] CREATE failed \(internal error, please report\): TypeError: Cannot read properties/);
      expect(log).toMatch(/\n\s+at /);
    } finally {
      configureLog('AGENT', { outputFile: 'stderr' });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('UPDATE of a log entity applies to the logger at once', async () => {
    const hello = logger('ROUTER_HELLO');
    const reply = await send({ operation: 'UPDATE', type: 'log', name: 'log/ROUTER_HELLO' }, map({ enable: 'debug+' }));
    expect(reply.status).toBe(200);
    expect(hello.enabled('debug')).toBe(true);
    await send({ operation: 'UPDATE', type: 'log', name: 'log/ROUTER_HELLO' }, map({ enable: 'none' }));
    expect(hello.enabled('error')).toBe(false);
    expect((await send({ operation: 'UPDATE', type: 'log', name: 'log/ROUTER_HELLO' }, map({ enable: 'shout' }))).status).toBe(400);
  });

  it('QUERY: all attributes in schema order, chosen ones, paging, unknown names and types', async () => {
    const all = (await send({ operation: 'QUERY', entityType: `${T}listener` }, map({ attributeNames: [] }))).body as { attributeNames: string[]; results: unknown[][] };
    expect(all.attributeNames.slice(0, 4)).toEqual(['host', 'port', 'socketAddressFamily', 'role']);
    expect(all.attributeNames.slice(-3)).toEqual(['name', 'identity', 'type']);
    expect(all.results).toHaveLength(1);
    const logs = (await send({ operation: 'QUERY', entityType: 'log', count: 2, offset: 1 }, map({ attributeNames: ['module'] }))).body;
    expect(logs).toEqual({ attributeNames: ['module'], results: [['ROUTER_CORE'], ['ROUTER_HELLO']] });
    const mixed = (await send({ operation: 'QUERY' }, map({ attributeNames: ['identity'] }))).body as { results: unknown[][] };
    expect(mixed.results.flat()).toEqual(expect.arrayContaining(['listener/127.0.0.1:5672:amqp', 'router/A', 'router.node/A']));
    const unknown = await send({ operation: 'QUERY', entityType: 'listener' }, map({ attributeNames: ['name', 'colour'] }));
    expect([unknown.status, unknown.description]).toEqual([404, `Unknown attributes ["colour"] for type ${T}listener.`]);
    expect((await send({ operation: 'QUERY', entityType: 'vhost' }, map({ attributeNames: [] }))).status).toBe(400);
    // The C agent's types read an unknown name as their first column (skstat -l asks for adminStatus).
    const links = (await send({ operation: 'QUERY', entityType: 'router.link' }, map({ attributeNames: ['linkType', 'adminStatus'] }))).body as { attributeNames: string[] };
    expect(links.attributeNames).toEqual(['linkType', 'name']);
  });

  it('GET-TYPES, GET-ATTRIBUTES, GET-OPERATIONS, GET-ANNOTATIONS and GET-SCHEMA', async () => {
    expect((await send({ operation: 'GET-TYPES', entityType: 'tcpListener' })).body).toEqual({
      [`${T}tcpListener`]: [`${T}configurationEntity`, `${T}entity`],
    });
    expect((await send({ operation: 'GET-OPERATIONS', entityType: 'log' })).body).toEqual({ [`${T}log`]: ['UPDATE', 'READ'] });
    const attributes = (await send({ operation: 'GET-ATTRIBUTES' })).body as Record<string, string[]>;
    expect(Object.keys(attributes)).toHaveLength(16);
    expect(attributes[`${T}router.node`]?.[0]).toBe('id');
    expect((await send({ operation: 'GET-ANNOTATIONS' })).body).toEqual({});
    const schema = (await send({ operation: 'GET-SCHEMA' })).body as { entityTypes: Record<string, { attributes: Record<string, unknown> }> };
    expect(schema.entityTypes.tcpListener?.attributes.port).toEqual({ type: 'string', required: true, create: true });
    expect(schema.entityTypes.address?.attributes.distribution).toMatchObject({ default: 'balanced' });
  });
});

describe('mgmt agent - UPDATE of live entities', () => {
  it('passes a connection adminStatus change to the router and answers with the new value', async () => {
    const closed: unknown[] = [];
    const connections = [{ name: 'connection/127.0.0.1:40000', identity: '7', host: '127.0.0.1:40000', role: 'normal', adminStatus: 'enabled' }];
    const { registry } = createRouterRegistry(buildRouterConfig([['router', { id: 'A' }]], 'A.json'), {}, {
      connection: {
        list: () => connections,
        updateLive: async (entity, changes) => {
          closed.push([entity.identity, changes]);
        },
      },
      'router.node': () => [{ name: 'router.node/A', identity: 'router.node/A', id: 'A' }],
    });
    const agent = new ManagementAgent(registry, { routerId: 'A', knownRouters: () => [] });
    const update = async (props: Record<string, AmqpValue>, body: Record<string, AmqpValue>) => {
      const answer = await agent.handle(request({ operation: 'UPDATE', ...props }, map(body)));
      return { status: numberOf(answer?.applicationProperties?.get('statusCode')), description: textOf(answer?.applicationProperties?.get('statusDescription')), body: plainOf(answer?.body) };
    };
    const ok = await update({ type: `${T}connection`, identity: '7' }, { adminStatus: 'deleted' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ identity: '7', adminStatus: 'deleted', type: `${T}connection` });
    expect(closed).toEqual([['7', { adminStatus: 'deleted' }]]);
    expect(await update({ type: 'connection', identity: '7' }, { host: 'elsewhere' })).toMatchObject({ status: 400, description: "Cannot update attribute 'host' in UPDATE" });
    const bad = await update({ type: 'connection', identity: '7' }, { adminStatus: 'gone' });
    expect(bad.status).toBe(400);
    expect(bad.description).toContain("attribute 'adminStatus' is \"gone\"; expected one of enabled, deleted");
    expect((await update({ type: 'router.node', name: 'router.node/A' }, { cost: 2 })).status).toBe(501);
    expect(closed).toHaveLength(1);
  });
});
