/**
 * A client of skupper-router's AMQP management protocol (reference §5.7): requests to `$management`
 * with application properties `operation`, `type`/`entityType`, `name`, answered to a dynamic reply
 * address with `statusCode` and `statusDescription`. Shared by the CLI and the kube-adaptor; every
 * failure is a ManagementError whose `code` says which kind it is.
 */
import rhea, { type Connection, type Message, type Sender } from 'rhea';
import { SkiffError } from './errors/skiff-error.js';

const DEFAULT_TIMEOUT_MS = 10_000;
const TYPE_PREFIX = 'io.skupper.router.';

export const ManagementErrorCode = {
  /** The connection could not be made, or was lost. */
  SKIFF_ERR_MANAGEMENT_UNREACHABLE: 'SKIFF_ERR_MANAGEMENT_UNREACHABLE',
  /** A request got no answer in time. */
  SKIFF_ERR_MANAGEMENT_TIMEOUT: 'SKIFF_ERR_MANAGEMENT_TIMEOUT',
  /** The router answered with a status other than 2xx (see `status`). */
  SKIFF_ERR_MANAGEMENT_REFUSED: 'SKIFF_ERR_MANAGEMENT_REFUSED',
} as const;
export type ManagementErrorCode = (typeof ManagementErrorCode)[keyof typeof ManagementErrorCode];

const HINTS: Record<ManagementErrorCode, string> = {
  SKIFF_ERR_MANAGEMENT_UNREACHABLE: 'check that the router runs and listens on its management port; its log says why it stopped',
  SKIFF_ERR_MANAGEMENT_TIMEOUT: 'the router is overloaded or stuck: read its log',
  SKIFF_ERR_MANAGEMENT_REFUSED: 'the description names the entity and attribute the router refused',
};

export class ManagementError extends SkiffError<ManagementErrorCode> {
  constructor(
    code: ManagementErrorCode,
    message: string,
    /** The router's statusCode, for SKIFF_ERR_MANAGEMENT_REFUSED. */
    readonly status?: number,
  ) {
    super(code, message, HINTS[code]);
  }
}

export type Row = Record<string, unknown>;

/** A management answer: `statusCode`, `statusDescription` and the body. */
export interface Reply {
  status: number;
  description: string;
  body: unknown;
}

export interface ConnectOptions {
  port: number;
  host?: string;
  /** `$management`, or a remote router's agent (`_topo/0/<id>/$management`). */
  address?: string;
  containerId?: string;
  timeoutMs?: number;
}

export class AmqpManagement {
  private nextId = 1;
  private readonly pending = new Map<string, { resolve: (reply: Reply) => void; reject: (error: ManagementError) => void }>();
  private lost: ManagementError | undefined = undefined;

  private constructor(
    private readonly connection: Connection,
    private readonly sender: Sender,
    private readonly replyTo: string,
    private readonly timeoutMs: number,
    where: string,
  ) {
    const lost = (why: string): void => this.fail(new ManagementError(ManagementErrorCode.SKIFF_ERR_MANAGEMENT_UNREACHABLE, `lost the router's management on ${where}: ${why}`));
    connection.on('disconnected', (ctx) => lost(String(ctx.error ?? 'connection closed')));
    connection.on('connection_close', () => lost('connection closed by the router'));
  }

  /** Connects, runs `work`, and always closes. */
  static async with<T>(options: ConnectOptions, work: (mgmt: AmqpManagement) => Promise<T>): Promise<T> {
    const mgmt = await AmqpManagement.connect(options);
    try {
      return await work(mgmt);
    } finally {
      mgmt.close();
    }
  }

  /** Connects to the management listener (no reconnecting: a lost connection fails what is pending). */
  static connect(options: ConnectOptions): Promise<AmqpManagement> {
    const host = options.host ?? '127.0.0.1';
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const container = rhea.create_container({ id: options.containerId ?? `skiff-mgmt-${process.pid}` });
    const connection = container.connect({ host, port: options.port, reconnect: false, idle_time_out: 0 });
    return new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        reject(new ManagementError(ManagementErrorCode.SKIFF_ERR_MANAGEMENT_UNREACHABLE, `cannot reach the router's management on ${host}:${options.port}: ${why}`));
      };
      const timer = setTimeout(() => {
        connection.close();
        fail('timed out');
      }, timeoutMs);
      connection.once('connection_error', (ctx) => fail(String(ctx.error ?? 'connection refused')));
      connection.once('disconnected', (ctx) => fail(String(ctx.error ?? 'disconnected')));
      // rhea's typings want an address even for a dynamic source; the router assigns the real one.
      const receiver = connection.open_receiver({ source: { address: '', dynamic: true } });
      const sender = connection.open_sender(options.address ?? '$management');
      receiver.once('receiver_open', () => {
        clearTimeout(timer);
        const mgmt = new AmqpManagement(connection, sender, receiver.source.address, timeoutMs, `${host}:${options.port}`);
        receiver.on('message', (ctx) => mgmt.deliver(ctx.message));
        resolve(mgmt);
      });
    });
  }

  /** False once the connection is closed or lost; such a client only fails. */
  get open(): boolean {
    return this.lost === undefined;
  }

  close(): void {
    this.fail(new ManagementError(ManagementErrorCode.SKIFF_ERR_MANAGEMENT_UNREACHABLE, 'management connection closed'));
    this.connection.close();
  }

  private fail(error: ManagementError): void {
    this.lost ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  private deliver(message: Message | undefined): void {
    if (message === undefined) return;
    const props = (message.application_properties ?? {}) as Record<string, unknown>;
    const id = String(message.correlation_id);
    const waiter = this.pending.get(id);
    this.pending.delete(id);
    waiter?.resolve({ status: Number(props.statusCode), description: String(props.statusDescription ?? ''), body: message.body });
  }

  /** Sends one request and resolves with the answer, whatever its status. */
  send(operation: string, props: Record<string, unknown>, body: unknown): Promise<Reply> {
    if (this.lost !== undefined) return Promise.reject(this.lost);
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ManagementError(ManagementErrorCode.SKIFF_ERR_MANAGEMENT_TIMEOUT, `management ${operation} got no answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(id, {
        resolve: (reply) => (clearTimeout(timer), resolve(reply)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.sender.send({ reply_to: this.replyTo, correlation_id: id, application_properties: { operation, ...props }, body });
    });
  }

  /** Sends one request; an answer other than 2xx is a SKIFF_ERR_MANAGEMENT_REFUSED error. */
  private async request(operation: string, props: Record<string, unknown>, body: unknown): Promise<Reply> {
    const reply = await this.send(operation, props, body);
    if (reply.status >= 200 && reply.status < 300) return reply;
    throw new ManagementError(ManagementErrorCode.SKIFF_ERR_MANAGEMENT_REFUSED, `management ${operation} refused (${reply.status}): ${reply.description}`, reply.status);
  }

  /** QUERY of one entity type (short name, e.g. `connector`); rows keyed by attribute name. */
  async query(type: string, attributeNames: readonly string[] = []): Promise<Row[]> {
    const reply = await this.request('QUERY', { entityType: TYPE_PREFIX + type }, { attributeNames });
    const body = reply.body as { attributeNames: string[]; results: unknown[][] };
    return body.results.map((row) => Object.fromEntries(body.attributeNames.map((n, i) => [n, row[i]])));
  }

  async create(type: string, attributes: Readonly<Record<string, unknown>>): Promise<void> {
    await this.request('CREATE', { type: TYPE_PREFIX + type, name: attributes.name }, attributes);
  }

  async delete(type: string, name: string): Promise<void> {
    await this.request('DELETE', { type: TYPE_PREFIX + type, name }, {});
  }
}
