/**
 * The CLI's side of skupper-router's AMQP management protocol: requests to `$management` with a
 * dynamic reply address, as skmanage sends them. Every failure becomes a SKIFF_ERR_MANAGEMENT
 * CliError so commands need no error handling of their own.
 */
import rhea, { type Connection, type Sender } from 'rhea';
import { CliError, ErrorCode, ExitCode } from '../errors.js';
import type { ConfigEntity } from '../site/router-config.js';

const TIMEOUT_MS = 10_000;
const TYPE_PREFIX = 'io.skupper.router.';

export type Row = Record<string, unknown>;

/** A management answer: `statusCode`, `statusDescription` and the body. */
export interface Reply {
  status: number;
  description: string;
  body: unknown;
}

export class Management {
  private nextId = 1;
  private readonly pending = new Map<string, (reply: Reply) => void>();

  private constructor(
    private readonly connection: Connection,
    private readonly sender: Sender,
    private readonly replyTo: string,
  ) {}

  /** Connects to the management listener on 127.0.0.1:`port`, runs `work`, and always closes. */
  static async with<T>(port: number, work: (mgmt: Management) => Promise<T>): Promise<T> {
    const mgmt = await Management.connect(port);
    try {
      return await work(mgmt);
    } finally {
      mgmt.connection.close();
    }
  }

  /**
   * Connects to the management listener on 127.0.0.1:`port`; `address` may name a remote router's
   * agent (`_topo/0/<id>/$management`). Close it with `close()`.
   */
  static connect(port: number, address = '$management'): Promise<Management> {
    const container = rhea.create_container({ id: `skiff-cli-${process.pid}` });
    const connection = container.connect({ host: '127.0.0.1', port, reconnect: false, idle_time_out: 0 });
    return new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        reject(managementError(`cannot reach the router's management on 127.0.0.1:${port}: ${why}`));
      };
      const timer = setTimeout(() => {
        connection.close();
        fail('timed out');
      }, TIMEOUT_MS);
      connection.once('connection_error', (ctx) => fail(String(ctx.error ?? 'connection refused')));
      connection.once('disconnected', (ctx) => fail(String(ctx.error ?? 'disconnected')));
      // rhea's typings want an address even for a dynamic source; the router assigns the real one.
      const receiver = connection.open_receiver({ source: { address: '', dynamic: true } });
      const sender = connection.open_sender(address);
      receiver.once('receiver_open', () => {
        clearTimeout(timer);
        const mgmt = new Management(connection, sender, receiver.source.address);
        receiver.on('message', (ctx) => mgmt.deliver(ctx.message));
        resolve(mgmt);
      });
    });
  }

  private deliver(message: rhea.Message | undefined): void {
    if (message === undefined) return;
    const props = (message.application_properties ?? {}) as Record<string, unknown>;
    const id = String(message.correlation_id);
    const done = this.pending.get(id);
    this.pending.delete(id);
    done?.({ status: Number(props.statusCode), description: String(props.statusDescription ?? ''), body: message.body });
  }

  close(): void {
    this.connection.close();
  }

  /** Sends one request and resolves with the answer, whatever its status. */
  send(operation: string, props: Record<string, unknown>, body: unknown): Promise<Reply> {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(managementError(`management ${operation} got no answer within ${TIMEOUT_MS / 1000} s`));
      }, TIMEOUT_MS);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.sender.send({ reply_to: this.replyTo, correlation_id: id, application_properties: { operation, ...props }, body });
    });
  }

  /** Sends one request; an answer other than 2xx becomes a CliError. */
  private async request(operation: string, props: Record<string, unknown>, body: unknown): Promise<Reply> {
    const reply = await this.send(operation, props, body);
    if (reply.status >= 200 && reply.status < 300) return reply;
    throw managementError(`management ${operation} refused (${reply.status}): ${reply.description}`);
  }

  /** QUERY of one entity type; rows keyed by attribute name. */
  async query(type: string, attributeNames: string[] = []): Promise<Row[]> {
    const reply = await this.request('QUERY', { entityType: TYPE_PREFIX + type }, { attributeNames });
    const body = reply.body as { attributeNames: string[]; results: unknown[][] };
    return body.results.map((row) => Object.fromEntries(body.attributeNames.map((n, i) => [n, row[i]])));
  }

  async create([type, attributes]: ConfigEntity): Promise<void> {
    await this.request('CREATE', { type: TYPE_PREFIX + type, name: attributes.name }, attributes);
  }

  async delete(type: string, name: string): Promise<void> {
    await this.request('DELETE', { type: TYPE_PREFIX + type, name }, {});
  }
}

function managementError(message: string): CliError {
  return new CliError(ExitCode.router, ErrorCode.SKIFF_ERR_MANAGEMENT, message, "check the router with 'skiff status' and its log");
}
