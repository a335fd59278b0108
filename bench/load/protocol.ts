/**
 * What the load generator and the bench server say to each other, in-band and over IPC.
 *
 * In-band, the first byte a client sends picks the server's behaviour for that connection, so one
 * server port serves every workload and each path needs a single tcpListener/tcpConnector pair:
 *   'S' sink: the server discards what follows and, when the client half-closes, answers with the
 *       byte count (8 bytes, big-endian) and closes. The client times to that answer, so bytes
 *       still buffered in relays when it stops writing are counted only once they arrive.
 *   'P' push: the server writes 64 KiB chunks until the client goes away.
 *   any other byte: echo, that byte included.
 */
export const MODE_SINK = 0x53;
export const MODE_PUSH = 0x50;
export const ECHO_BYTE = 0x65;
export const WRITE_SIZE = 64 * 1024;

export type GeneratorJob =
  | { kind: 'upload'; port: number; seconds: number; streams: number }
  | { kind: 'download'; port: number; seconds: number }
  | { kind: 'connect'; port: number; seconds: number; clients: number }
  | { kind: 'ping-pong'; port: number; seconds: number }
  | { kind: 'idle'; port: number };

/** Named figures of one run of a job, e.g. `{ gbps }` or `{ p50Us, p99Us }`. */
export type Figures = Record<string, number>;

/** Parent to an idle generator: hold this many streams open in total. */
export interface HoldRequest {
  type: 'hold';
  total: number;
}

/** Child to parent over IPC. */
export type ChildReport =
  | { type: 'listening'; port: number }
  | { type: 'figures'; figures: Figures }
  | { type: 'holding'; count: number; refused: number; error?: string }
  | { type: 'failed'; error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isChildReport(value: unknown): value is ChildReport {
  if (!isRecord(value) || typeof value['type'] !== 'string') return false;
  switch (value['type']) {
    case 'listening':
      return typeof value['port'] === 'number';
    case 'figures':
      return isRecord(value['figures']) && Object.values(value['figures']).every((v) => typeof v === 'number');
    case 'holding':
      return typeof value['count'] === 'number' && typeof value['refused'] === 'number';
    case 'failed':
      return typeof value['error'] === 'string';
    default:
      return false;
  }
}

export function isHoldRequest(value: unknown): value is HoldRequest {
  return isRecord(value) && value['type'] === 'hold' && typeof value['total'] === 'number';
}

const KINDS: ReadonlySet<string> = new Set(['upload', 'download', 'connect', 'ping-pong', 'idle']);

/** Reads a job from the generator's command line (JSON written by the parent). */
export function parseJob(text: string | undefined): GeneratorJob {
  const value: unknown = JSON.parse(text ?? 'null');
  if (!isRecord(value) || typeof value['kind'] !== 'string' || !KINDS.has(value['kind']) || typeof value['port'] !== 'number') {
    throw new Error(`bad generator job: ${text ?? '(none)'}`);
  }
  // The parent builds jobs from the GeneratorJob type; the check above guards against a stray argv.
  return value as GeneratorJob;
}
