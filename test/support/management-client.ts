/**
 * A skmanage-shaped management client over rhea: requests to `$management` (or a remote router's
 * `_topo/0/<id>/$management`) with a dynamic reply address, as skmanage and skstat send them.
 */
import rhea, { type Connection, type Receiver, type Sender } from 'rhea';

export interface ManagementResponse {
  statusCode: number;
  statusDescription: string;
  body: unknown;
}

export class ManagementClient {
  private replyTo = '';
  private nextId = 1;
  private readonly pending = new Map<string, (r: ManagementResponse) => void>();

  private constructor(
    private readonly connection: Connection,
    private readonly sender: Sender,
    receiver: Receiver,
  ) {
    receiver.on('message', (ctx) => {
      const m = ctx.message;
      if (m === undefined) return;
      const props = (m.application_properties ?? {}) as Record<string, unknown>;
      const done = this.pending.get(String(m.correlation_id));
      this.pending.delete(String(m.correlation_id));
      done?.({ statusCode: Number(props.statusCode), statusDescription: String(props.statusDescription ?? ''), body: m.body });
    });
  }

  static async connect(port: number, address = '$management'): Promise<ManagementClient> {
    const container = rhea.create_container({ id: `mgmt-client-${process.pid}-${Date.now()}` });
    const connection = container.connect({ host: '127.0.0.1', port, reconnect: false });
    // rhea's typings want an address even for a dynamic source; the router assigns the real one.
    const receiver = connection.open_receiver({ source: { address: '', dynamic: true } });
    const sender = connection.open_sender(address);
    const client = new ManagementClient(connection, sender, receiver);
    await new Promise<void>((resolve, reject) => {
      receiver.once('receiver_open', () => {
        client.replyTo = receiver.source.address;
        resolve();
      });
      connection.once('connection_error', () => reject(new Error('management connection failed')));
      connection.once('disconnected', (ctx) => reject(new Error(`management connection lost: ${String(ctx.error ?? '')}`)));
    });
    return client;
  }

  request(operation: string, props: Record<string, unknown>, body: unknown = {}, timeoutMs = 10_000): Promise<ManagementResponse> {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`management ${operation} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.sender.send({ reply_to: this.replyTo, correlation_id: id, application_properties: { operation, ...props }, body });
    });
  }

  query(type: string, attributeNames: string[] = []): Promise<ManagementResponse> {
    return this.request('QUERY', { entityType: `io.skupper.router.${type}` }, { attributeNames });
  }

  create(type: string, name: string, attributes: Record<string, unknown>): Promise<ManagementResponse> {
    return this.request('CREATE', { type: `io.skupper.router.${type}`, name }, { ...attributes, name });
  }

  delete(type: string, name: string): Promise<ManagementResponse> {
    return this.request('DELETE', { type: `io.skupper.router.${type}`, name });
  }

  close(): void {
    this.connection.close();
  }
}

/** QUERY results as objects keyed by attribute name. */
export function rowsOf(response: ManagementResponse): Array<Record<string, unknown>> {
  const body = response.body as { attributeNames: string[]; results: unknown[][] };
  return body.results.map((row) => Object.fromEntries(body.attributeNames.map((n, i) => [n, row[i]])));
}
