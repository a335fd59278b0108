/**
 * The AMQP management agent, transport-free: `handle` takes a decoded request message and returns
 * the answer to send to its reply-to (or nothing when there is no reply-to, as skupper-router
 * ignores such requests). Requests are handled one at a time, as skupper-router's agent does under
 * its lock, so a CREATE is complete before a following READ is looked at.
 *
 *   request ──▶ operation? ── QUERY / GET-* ──▶ query.ts (over registry providers)
 *                          └─ CREATE / READ / UPDATE / DELETE ──▶ entity lookup ──▶ provider hooks
 *   bad request ──▶ statusCode 400/404/501 + statusDescription naming what is wrong
 *   internal failure (a bug) ──▶ 500, its stack logged under the request's [C..] id (never a crash)
 */
import type { Message } from '../amqp/codec/message.js';
import { AmqpMap, Typed, type AmqpValue } from '../amqp/codec/values.js';
import { SkiffError } from '../../../common/src/errors/skiff-error.js';
import { ConfigError, isSystemError, ManagementError } from '../errors.js';
import { logger } from '../log.js';
import { findEntityType } from '../config/schema.js';
import { EntityCrud, RequestProperties } from './crud.js';
import { getAttributes, getOperations, getSchema, getTypes, query } from './query.js';
import type { EntityRegistry } from './registry.js';
import { plainOf } from './wire-values.js';

const log = logger('AGENT');

export interface AgentOptions {
  /** This router's id. */
  routerId: string;
  /** Ids of every router known to the routing protocol (this one may be included). */
  knownRouters(): readonly string[];
}

/** What an operation produced: the status and the body to send. */
export interface Answer {
  status: number;
  description?: string;
  body: AmqpValue;
  /** The C agent of skupper-router puts statusDescription before statusCode; kept for byte-faithful answers. */
  coreAgent?: boolean;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found',
  500: 'Internal Server Error', 501: 'Not Implemented',
};

/** Operations of the management node itself (not of an entity). */
const NODE_OPERATIONS = new Set(['QUERY', 'GET-TYPES', 'GET-ANNOTATIONS', 'GET-OPERATIONS', 'GET-ATTRIBUTES', 'GET-MGMT-NODES', 'GET-SCHEMA']);
/** skupper-router's node operations that Skiff does not offer. */
const UNSUPPORTED_NODE_OPERATIONS = new Set(['GET-JSON-SCHEMA', 'GET-LOG', 'PROFILE']);

export class ManagementAgent {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly crud: EntityCrud;

  constructor(
    private readonly registry: EntityRegistry,
    private readonly options: AgentOptions,
  ) {
    this.crud = new EntityCrud(registry);
  }

  /** Answers `request`; `logId` (`[C3][L1]`) names where it came from in log lines. */
  async handle(request: Message, logId = ''): Promise<Message | undefined> {
    const replyTo = request.properties?.replyTo;
    if (replyTo === undefined || replyTo === '') return undefined;
    const run = this.queue.then(() => this.answer(request, logId));
    this.queue = run.catch(() => undefined);
    const answer = await run;
    const status = new Typed('int', answer.status);
    const description = answer.description ?? STATUS_TEXT[answer.status] ?? '';
    const applicationProperties = answer.coreAgent === true
      ? AmqpMap.withStringKeys({ statusDescription: description, statusCode: status })
      : AmqpMap.withStringKeys({ statusCode: status, statusDescription: description });
    const properties: NonNullable<Message['properties']> = { to: replyTo };
    if (request.properties?.correlationId !== undefined) properties.correlationId = request.properties.correlationId;
    return { header: { durable: false }, properties, applicationProperties, body: answer.body };
  }

  private async answer(request: Message, logId: string): Promise<Answer> {
    const props = new RequestProperties(request.applicationProperties);
    const operation = props.text('operation')?.toUpperCase();
    try {
      if (operation === undefined) throw new ManagementError(400, "No 'operation' property in the request");
      if (NODE_OPERATIONS.has(operation)) return this.nodeOperation(operation, props, request.body);
      if (UNSUPPORTED_NODE_OPERATIONS.has(operation)) throw new ManagementError(501, `Operation '${operation}' not implemented`);
      return await this.crud.entityOperation(operation, props, request.body);
    } catch (error) {
      return this.failure(operation, error, logId);
    }
  }

  /**
   * A request Skiff refuses on purpose (a SkiffError) or the system refuses (a socket that cannot
   * bind) is a bad request: 400 or its own status, with what is wrong. Anything else is a bug: 500.
   */
  private failure(operation: string | undefined, error: unknown, logId: string): Answer {
    const what = `${logId}${logId === '' ? '' : ' '}${operation ?? 'request'} failed`;
    if (!(error instanceof SkiffError) && !isSystemError(error)) {
      log.error(`${what} (internal error, please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const first = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      return { status: 500, description: `Internal error: ${first}`, body: new AmqpMap() };
    }
    // Config errors carry a hint on a second line; a status description is one line.
    const message = error.message.replace(/\n\s*/g, '; ');
    if (!(error instanceof ManagementError) && !(error instanceof ConfigError)) log.warning(`${what}: ${message}`);
    return { status: error instanceof ManagementError ? error.statusCode : 400, description: message, body: new AmqpMap() };
  }

  private nodeOperation(operation: string, props: RequestProperties, body: AmqpValue | undefined): Answer {
    const entityType = props.text('entityType');
    switch (operation) {
      case 'QUERY': {
        const names = plainOf(body instanceof AmqpMap ? body.get('attributeNames') : undefined);
        const attributeNames = Array.isArray(names) ? names.map(String) : [];
        const result = query(this.registry, {
          entityType, attributeNames, offset: props.number('offset') ?? 0, count: props.number('count'),
        });
        return { status: 200, body: result, coreAgent: this.isCoreType(entityType) };
      }
      case 'GET-TYPES':
        return { status: 200, body: getTypes(entityType) };
      case 'GET-ATTRIBUTES':
        return { status: 200, body: getAttributes(entityType) };
      case 'GET-OPERATIONS':
        return { status: 200, body: getOperations(entityType) };
      case 'GET-ANNOTATIONS':
        return { status: 200, body: new AmqpMap() };
      case 'GET-SCHEMA':
        return { status: 200, body: getSchema() };
      default:
        return { status: 200, body: this.managementNodes() };
    }
  }

  /** `amqp:/_topo/0/<id>/$management` for this router first, then every other known router. */
  private managementNodes(): string[] {
    const ids = [this.options.routerId, ...this.options.knownRouters().filter((id) => id !== this.options.routerId)];
    return ids.map((id) => `amqp:/_topo/0/${id}/$management`);
  }

  private isCoreType(entityType: string | undefined): boolean {
    return entityType !== undefined && findEntityType(entityType)?.agent === 'core';
  }
}
