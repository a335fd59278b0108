/**
 * Management requests as the daemon serves them: a request message is encoded, decoded
 * (decodeMessage), handled by the ManagementAgent over a registry built from a real config, and its
 * answer encoded. Operations, entity types, names and attribute maps come from the schema, mixed
 * with values of every AMQP type. Every request gets an answer with a status; no request makes
 * the agent fail on its own (it logs such failures), and every answer encodes.
 */
import fc from 'fast-check';
import { Encoder } from '../../../router/src/amqp/codec/encoder.js';
import { decodeMessage, encodeMessage, type Message } from '../../../router/src/amqp/codec/message.js';
import { AmqpMap, numberOf, type AmqpValue } from '../../../router/src/amqp/codec/values.js';
import { buildRouterConfig } from '../../../router/src/config/load.js';
import { CONFIG_TYPES } from '../../../router/src/config/schema-config.js';
import { OPERATIONAL_TYPES } from '../../../router/src/config/schema-operational.js';
import { configureLog } from '../../../router/src/log.js';
import { ManagementAgent } from '../../../router/src/mgmt/agent.js';
import { createRouterRegistry } from '../../../router/src/mgmt/router-registry.js';
import { amqpValue } from '../amqp-values.js';
import type { FuzzTarget } from '../harness.js';
import { configSeeds } from '../seeds.js';

const TYPES = [...CONFIG_TYPES, ...OPERATIONAL_TYPES];
const OPERATIONS = ['QUERY', 'GET-TYPES', 'GET-ANNOTATIONS', 'GET-OPERATIONS', 'GET-ATTRIBUTES', 'GET-MGMT-NODES', 'GET-SCHEMA', 'GET-JSON-SCHEMA', 'GET-LOG', 'PROFILE', 'CREATE', 'READ', 'UPDATE', 'DELETE', 'query', 'Create'];
const ATTRIBUTES = [...new Set(TYPES.flatMap((t) => Object.values(t.attributes).map((a) => a.name)))];
const NAMES = ['amqp', 'inter-router', 'edge', 'web', 'new', 'DEFAULT', 'ROUTER', '', 'listener/127.0.0.1:46672:amqp'];

const text = <T extends string>(known: readonly T[]): fc.Arbitrary<AmqpValue> => fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: amqpValue });
const typeName = text(TYPES.flatMap((t) => [t.name, `io.skupper.router.${t.name}`, `org.apache.qpid.dispatch.${t.name}`]));
/** A value an attribute might be given: plausible ones, and any AMQP value. */
const attributeValue = fc.oneof(fc.constantFrom<AmqpValue>('127.0.0.1', '0', '5672', 'yes', 'normal', 'inter-router', 'edge', 'info+', 'deleted', 'svc:80', 5672, true, null), amqpValue);

const request: fc.Arbitrary<Message> = fc.record({
  properties: fc.record({ replyTo: fc.constantFrom('amqp:/_topo/0/A/temp.r', ''), correlationId: amqpValue }, { requiredKeys: ['replyTo'] }),
  applicationProperties: fc
    .record({ operation: text(OPERATIONS), type: typeName, entityType: typeName, name: text(NAMES), identity: text(NAMES), offset: amqpValue, count: amqpValue }, { requiredKeys: [] })
    .chain((props) => fc.array(fc.tuple(fc.string({ maxLength: 8 }), amqpValue), { maxLength: 2 }).map((extra) => new AmqpMap([...Object.entries(props), ...extra]))),
  body: fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom(...ATTRIBUTES, 'attributeNames'), fc.string({ maxLength: 6 })), attributeValue, { maxKeys: 5 }).map((r) => AmqpMap.withStringKeys(r)),
    amqpValue,
  ),
}, { requiredKeys: ['properties', 'applicationProperties'] });

const ANSWER_STATUSES = new Set([200, 201, 204, 400, 403, 404, 501]);
const encoder = new Encoder();

function encode(message: Message): Buffer {
  encoder.reset();
  encodeMessage(encoder, message);
  return Buffer.from(encoder.view());
}

/** Agent warnings (its own failures) seen while the target runs. */
const warnings: string[] = [];
const stderrWrite = process.stderr.write.bind(process.stderr);

export const managementTarget: FuzzTarget<Message[]> = {
  name: 'management',
  about: 'ManagementAgent.handle after decodeMessage: an answer with a status for every request, no failure of its own, answers encode',
  input: fc.array(request, { minLength: 1, maxLength: 3 }),
  async setup() {
    configureLog('DEFAULT', { enable: 'none' });
    configureLog('AGENT', { enable: 'warning+', includeTimestamp: false });
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      if (String(chunk).startsWith('AGENT ')) return warnings.push(String(chunk)) > 0;
      return stderrWrite(chunk, ...rest);
    }) as typeof process.stderr.write;
    return async () => {
      process.stderr.write = stderrWrite;
      configureLog('DEFAULT', { enable: 'info+' });
      configureLog('AGENT', { enable: 'info+', includeTimestamp: true });
    };
  },
  async run(requests) {
    const config = buildRouterConfig(configSeeds()[0], 'A.json');
    const { registry } = createRouterRegistry(config, {}, { 'router.node': () => [{ name: 'router.node/A', identity: 'router.node/A', id: 'A' }] });
    const agent = new ManagementAgent(registry, { routerId: 'A', knownRouters: () => ['A', 'B'] });
    warnings.length = 0;
    for (const original of requests) {
      // As the daemon receives it: off the wire, so only what the codec carries reaches the agent.
      const answer = await agent.handle(decodeMessage(encode(original)));
      if (warnings.length > 0) throw new Error(`the agent failed on its own: ${warnings.join('')}`);
      if (answer === undefined) {
        if (original.properties?.replyTo !== '') throw new Error('a request with a reply-to got no answer');
        continue;
      }
      const status = numberOf(answer.applicationProperties?.get('statusCode'));
      if (status === undefined || !ANSWER_STATUSES.has(status)) throw new Error(`answer status ${String(status)}`);
      encode(answer);
    }
  },
};
