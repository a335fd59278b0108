/**
 * Test image skiff-testbed/client: idles until told otherwise, and is the tool tests run inside
 * pods (through Testbed.exec) to make requests:
 *   client idle                      wait for SIGTERM (the image's default)
 *   client get URL [COUNT]           COUNT HTTP GETs, one line per reply body, "ERR <reason>" on failure
 *   client tcp HOST PORT MESSAGE     sends MESSAGE, half-closes, prints what came back
 * Each request has a 3 s timeout so that unreachable addresses fail fast.
 */
import { request } from 'node:http';
import { connect } from 'node:net';

const TIMEOUT_MS = 3000;

function get(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: TIMEOUT_MS, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(res.statusCode === 200 ? body.trim() : `ERR status ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(`ERR ${error.code ?? error.message}`));
    req.end();
  });
}

function tcp(host: string, port: number, message: string): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const socket = connect({ host, port, timeout: TIMEOUT_MS }, () => socket.end(message));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('timeout', () => socket.destroy(new Error('timeout')));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`ERR ${error.code ?? error.message}`));
    socket.on('close', () => resolve(data));
  });
}

async function main(argv: string[]): Promise<number> {
  const [cmd = 'idle', ...rest] = argv;
  switch (cmd) {
    case 'idle':
      process.on('SIGTERM', () => process.exit(0));
      setInterval(() => undefined, 1 << 30);
      return -1;
    case 'get': {
      const [url, count = '1'] = rest;
      if (!url) break;
      for (let i = 0; i < Number(count); i++) console.log(await get(url));
      return 0;
    }
    case 'tcp': {
      const [host, port, message = 'ping'] = rest;
      if (!host || !port) break;
      console.log(await tcp(host, Number(port), message));
      return 0;
    }
  }
  console.error('usage: client idle | get URL [COUNT] | tcp HOST PORT [MESSAGE]');
  return 2;
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
