/** /healthz (the process is alive) and /readyz (the router has been brought to its config once), for the pod's probes. */
import { createServer, type Server } from 'node:http';

export async function startHealthServer(port: number, ready: () => boolean): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const ok = path === '/healthz' ? true : path === '/readyz' ? ready() : undefined;
    res.writeHead(ok === undefined ? 404 : ok ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(ok === undefined ? 'not found\n' : ok ? 'ok\n' : 'not ready\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return server;
}
