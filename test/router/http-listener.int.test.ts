import rhea from 'rhea';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, type RouterProcess } from '../support/router-process.js';

let router: RouterProcess;
let httpPort = 0;

beforeAll(async () => {
  router = await startRouter('H', [
    ['router', { id: 'H', mode: 'interior' }],
    ['listener', { name: 'http', host: '127.0.0.1', port: 0, role: 'normal', http: true, websockets: true }],
    ['tcpConnector', { name: 'web-out', host: '127.0.0.1', port: 9, address: 'web' }],
  ]);
  httpPort = router.ports.get('http')!;
});

afterAll(async () => {
  await stopAllRouters();
});

describe('http listener - health, metrics and AMQP over WebSocket on one port', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${httpPort}/nothing-here`)).status).toBe(404);
  });

  it('serves Prometheus metrics with the tcpConnector counters', async () => {
    const response = await fetch(`http://127.0.0.1:${httpPort}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^qdr_connections_total \d+$/m);
    expect(text).toMatch(/skiff_tcp_connections_opened_total\{[^}]*name="web-out"[^}]*\} 0/);
  });

  it('carries AMQP over WebSocket: a message goes out and comes back through the router', async () => {
    const container = rhea.create_container({ id: 'ws-client' });
    const connect = container.websocket_connect(WebSocket as unknown as Parameters<typeof container.websocket_connect>[0]);
    // rhea's typings describe connection_details as host/port only; its WebSocket factory is the other form.
    const details = connect(`ws://127.0.0.1:${httpPort}/`, ['amqp'], {}) as unknown as (n: number) => rhea.ConnectionDetails;
    const connection = container.connect({ connection_details: details, reconnect: false } as rhea.ConnectionOptions);
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const receiver = connection.open_receiver('ws/echo');
        receiver.on('message', (ctx) => resolve(String(ctx.message?.body)));
        receiver.on('receiver_open', () => {
          const sender = connection.open_sender('ws/echo');
          sender.on('sendable', () => {
            if (sender.sendable()) sender.send({ body: 'over websocket' });
            sender.close();
          });
        });
        connection.on('connection_error', () => reject(new Error('websocket AMQP connection failed')));
        setTimeout(() => reject(new Error('no message over websocket within 10 s')), 10_000);
      });
      expect(body).toBe('over websocket');
    } finally {
      connection.close();
    }
  });
});
