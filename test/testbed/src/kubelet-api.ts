/**
 * The part of kubelet's HTTPS API that `kubectl logs` needs: the apiserver fetches
 *   GET /containerLogs/{namespace}/{pod}/{container}?follow=&tailLines=&previous=&limitBytes=
 * from the node's address (KUBELET_ADDRESS, host loopback here) at the port in the Node's
 * status.daemonEndpoints, with its --kubelet-client-certificate. One server per node; it asks
 * for a client certificate from the cluster CA, as kubelet does with --client-ca-file (the
 * apiserver's identity needs no authorization of ours beyond that).
 * A container's log file holds all its runs, appended; the runner records where each starts,
 * so the current run and (`previous`) the one before can be served apart.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { open, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { ContainerRunner } from './container.js';
import type { CertFiles } from './pki-files.js';

/** Finds a container of a pod running on this node. */
export type ContainerLookup = (namespace: string, pod: string, container: string) => ContainerRunner | undefined;

export interface KubeletApiOptions {
  ca: string;
  serving: CertFiles;
  lookup: ContainerLookup;
}

const FOLLOW_POLL_MS = 200;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readRange(file: string, start: number, end?: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const length = Math.max(0, Math.min(end ?? size, size) - start);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, start);
    return buffer;
  } finally {
    await handle.close();
  }
}

/** The last `n` lines of `text` (a final newline ends the last line, it does not start one). */
export function tailLines(text: Buffer, n: number): Buffer {
  if (n <= 0) return Buffer.alloc(0);
  let cut = text.length;
  if (text[cut - 1] === 0x0a) cut--;
  for (let seen = 0; cut > 0; cut--) {
    if (text[cut - 1] === 0x0a && ++seen === n) break;
  }
  return text.subarray(cut);
}

export class KubeletApi {
  private server: Server | undefined;

  constructor(private readonly options: KubeletApiOptions) {}

  /** Listens on a free loopback port and returns it. */
  async start(): Promise<number> {
    const { options } = this;
    const [ca, cert, key] = await Promise.all([readFile(options.ca), readFile(options.serving.cert), readFile(options.serving.key)]);
    const server = createServer({ ca, cert, key, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(error instanceof Error ? error.message : String(error));
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const match = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) throw new HttpError(404, `the test bed's kubelet API serves only GET /containerLogs/{namespace}/{pod}/{container}`);
    const [namespace, pod, name] = match.slice(1).map(decodeURIComponent) as [string, string, string];
    const runner = this.options.lookup(namespace, pod, name);
    if (!runner) throw new HttpError(404, `container "${name}" in pod "${namespace}/${pod}" is not running on this node`);
    const q = url.searchParams;
    const previous = q.get('previous') === 'true';
    const runs = runner.runOffsets;
    const run = previous ? runs.length - 2 : runs.length - 1;
    if (run < 0) throw new HttpError(400, `${previous ? 'previous terminated' : ''} container "${name}" in pod "${pod}" not found`.trim());
    const start = runs[run] ?? 0;
    const all = await readRange(runner.logFile, start, runs[run + 1]);
    let body = q.has('tailLines') ? tailLines(all, Number(q.get('tailLines'))) : all;
    const limit = q.has('limitBytes') ? Number(q.get('limitBytes')) : Infinity;
    body = body.subarray(0, limit);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write(body);
    if (q.get('follow') === 'true' && !previous && body.length < limit) await this.follow(req, res, runner, run, start + all.length);
    res.end();
  }

  /** Streams what the current run writes until it ends (or the client leaves). */
  private async follow(req: IncomingMessage, res: ServerResponse, runner: ContainerRunner, run: number, from: number): Promise<void> {
    let position = from;
    let gone = false;
    req.once('close', () => (gone = true));
    for (;;) {
      const ended = runner.runOffsets.length - 1 !== run || runner.pid === undefined;
      const chunk = await readRange(runner.logFile, position, runner.runOffsets[run + 1]);
      position += chunk.length;
      if (chunk.length > 0) res.write(chunk);
      if (ended || gone) return;
      await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
    }
  }
}
