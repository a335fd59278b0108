/**
 * Runs inside a node's network namespace, where pod IPs are reachable over cbr0, on behalf of
 * the node agent (which lives in the host namespace and cannot reach them). One JSON request
 * per stdin line, one JSON reply per stdout line:
 *   {"id":1,"type":"http","host":"10.244.1.2","port":8080,"path":"/ready","timeoutMs":1000}
 *   {"id":2,"type":"tcp","host":"10.244.1.2","port":9090,"timeoutMs":1000}
 *   {"id":3,"type":"forward","host":"172.30.1.1","port":6443,"socketPath":"/run/…/api.sock"}
 *     -> listen on host:port here and pass each connection to a Unix socket, which the agent
 *        forwards to the apiserver on host loopback (Unix sockets cross network namespaces).
 * Replies: {"id":1,"ok":true} or {"id":1,"ok":false,"detail":"…"}.
 */
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { splice } from './splice.js';

interface HelperRequest {
  id: number;
  type: 'http' | 'tcp' | 'forward';
  host: string;
  port: number;
  path?: string;
  timeoutMs?: number;
  socketPath?: string;
}

type Reply = { ok: boolean; detail?: string };

function httpProbe(r: HelperRequest): Promise<Reply> {
  return new Promise((resolve) => {
    const req = request({ host: r.host, port: r.port, path: r.path ?? '/', timeout: r.timeoutMs ?? 1000, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      // Kubernetes counts any 2xx or 3xx as success.
      resolve(code >= 200 && code < 400 ? { ok: true } : { ok: false, detail: `HTTP probe failed with statuscode: ${code}` });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ ok: false, detail: e.message }));
    req.end();
  });
}

function tcpProbe(r: HelperRequest): Promise<Reply> {
  return new Promise((resolve) => {
    const socket = connect({ host: r.host, port: r.port, timeout: r.timeoutMs ?? 1000 }, () => {
      socket.destroy();
      resolve({ ok: true });
    });
    socket.on('timeout', () => socket.destroy(new Error('timeout')));
    socket.on('error', (e) => resolve({ ok: false, detail: e.message }));
  });
}

function forward(r: HelperRequest): Promise<Reply> {
  return new Promise((resolve) => {
    const server = createServer((inbound) => {
      splice(inbound, connect(r.socketPath ?? ''));
    });
    server.once('error', (e) => resolve({ ok: false, detail: e.message }));
    server.listen(r.port, r.host, () => resolve({ ok: true }));
  });
}

async function handle(line: string): Promise<void> {
  let r: HelperRequest;
  try {
    r = JSON.parse(line) as HelperRequest;
  } catch {
    return;
  }
  const reply = r.type === 'http' ? await httpProbe(r) : r.type === 'tcp' ? await tcpProbe(r) : await forward(r);
  process.stdout.write(JSON.stringify({ id: r.id, ...reply }) + '\n');
}

createInterface({ input: process.stdin }).on('line', (line) => void handle(line));
// The agent closing stdin (or dying) ends the helper.
process.stdin.on('end', () => process.exit(0));
