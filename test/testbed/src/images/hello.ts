/**
 * Test image skiff-testbed/hello: an HTTP server that answers with its pod name. Its readiness
 * and liveness endpoints can be switched off over HTTP, so tests can make its probes fail.
 *   GET /          -> "<pod name>\n"
 *   GET /ready     -> 200, or 503 after GET /set-unready (GET /set-ready undoes it)
 *   GET /live      -> 200, or 500 after GET /set-dead
 * PORT (default 8080) and POD_NAME come from the environment.
 */
import { createServer } from 'node:http';

const podName = process.env['POD_NAME'] ?? process.env['HOSTNAME'] ?? 'unknown';
const port = Number(process.env['PORT'] ?? 8080);
let ready = true;
let live = true;

const server = createServer((req, res) => {
  const reply = (status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(body + '\n');
  };
  switch (req.url ?? '/') {
    case '/ready':
      return reply(ready ? 200 : 503, ready ? 'ready' : 'not ready');
    case '/live':
      return reply(live ? 200 : 500, live ? 'live' : 'dead');
    case '/set-unready':
      ready = false;
      return reply(200, 'ok');
    case '/set-ready':
      ready = true;
      return reply(200, 'ok');
    case '/set-dead':
      live = false;
      return reply(200, 'ok');
    default:
      return reply(200, podName);
  }
});

server.listen(port, () => console.log(`hello ${podName} listening on ${port}`));
process.on('SIGTERM', () => {
  // Logged so tests can see that graceful deletion delivered SIGTERM.
  console.log(`hello ${podName} got SIGTERM`);
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
