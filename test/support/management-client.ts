/**
 * skmanage-shaped requests for router tests, over the CLI's management client: the tests see
 * every answer's status code, where the CLI turns failures into errors.
 */
import { Management } from '../../cli/src/mgmt/management.js';

export interface ManagementResponse {
  statusCode: number;
  statusDescription: string;
  body: unknown;
}

const TYPE_PREFIX = 'io.skupper.router.';

export class ManagementClient {
  private constructor(private readonly mgmt: Management) {}

  /** Connects to a router's management on 127.0.0.1:`port` (`address` may be a remote router's agent). */
  static async connect(port: number, address = '$management'): Promise<ManagementClient> {
    return new ManagementClient(await Management.connect(port, address));
  }

  async request(operation: string, props: Record<string, unknown>, body: unknown = {}): Promise<ManagementResponse> {
    const reply = await this.mgmt.send(operation, props, body);
    return { statusCode: reply.status, statusDescription: reply.description, body: reply.body };
  }

  query(type: string, attributeNames: string[] = []): Promise<ManagementResponse> {
    return this.request('QUERY', { entityType: TYPE_PREFIX + type }, { attributeNames });
  }

  create(type: string, name: string, attributes: Record<string, unknown>): Promise<ManagementResponse> {
    return this.request('CREATE', { type: TYPE_PREFIX + type, name }, { ...attributes, name });
  }

  delete(type: string, name: string): Promise<ManagementResponse> {
    return this.request('DELETE', { type: TYPE_PREFIX + type, name });
  }

  close(): void {
    this.mgmt.close();
  }
}

/** QUERY results as objects keyed by attribute name. */
export function rowsOf(response: ManagementResponse): Array<Record<string, unknown>> {
  const body = response.body as { attributeNames: string[]; results: unknown[][] };
  return body.results.map((row) => Object.fromEntries(body.attributeNames.map((n, i) => [n, row[i]])));
}
