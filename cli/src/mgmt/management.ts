/**
 * The CLI's management client: common/src/amqp-management.ts with every failure turned into a
 * SKIFF_ERR_MANAGEMENT CliError, so commands need no error handling of their own.
 */
import { AmqpManagement, ManagementError, type Reply, type Row } from '../../../common/src/amqp-management.js';
import { CliError, ErrorCode } from '../errors.js';
import type { ConfigEntity } from '../site/router-config.js';

export type { Reply, Row };

export class Management {
  private constructor(private readonly client: AmqpManagement) {}

  /** Connects to the management listener on 127.0.0.1:`port`, runs `work`, and always closes. */
  static async with<T>(port: number, work: (mgmt: Management) => Promise<T>): Promise<T> {
    const mgmt = await Management.connect(port);
    try {
      return await work(mgmt);
    } finally {
      mgmt.close();
    }
  }

  /**
   * Connects to the management listener on 127.0.0.1:`port`; `address` may name a remote router's
   * agent (`_topo/0/<id>/$management`). Close it with `close()`.
   */
  static async connect(port: number, address = '$management'): Promise<Management> {
    return new Management(await asCliError(AmqpManagement.connect({ port, address, containerId: `skiff-cli-${process.pid}` })));
  }

  close(): void {
    this.client.close();
  }

  /** Sends one request and resolves with the answer, whatever its status. */
  send(operation: string, props: Record<string, unknown>, body: unknown): Promise<Reply> {
    return asCliError(this.client.send(operation, props, body));
  }

  /** QUERY of one entity type; rows keyed by attribute name. */
  query(type: string, attributeNames: string[] = []): Promise<Row[]> {
    return asCliError(this.client.query(type, attributeNames));
  }

  create([type, attributes]: ConfigEntity): Promise<void> {
    return asCliError(this.client.create(type, attributes));
  }

  delete(type: string, name: string): Promise<void> {
    return asCliError(this.client.delete(type, name));
  }
}

async function asCliError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof ManagementError)) throw error;
    throw new CliError(ErrorCode.SKIFF_ERR_MANAGEMENT, error.message, "check the router with 'skiff status' and its log", { cause: error });
  }
}
