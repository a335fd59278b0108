/** (a) Clients connect straight to the bench server: the loopback baseline. */
import type { PathSpec } from './bench-path.js';

export const directPath: PathSpec = {
  id: 'a',
  title: 'direct TCP',
  start: async ({ serverPort }) => ({ port: serverPort, relays: [], notes: [], stop: async () => undefined }),
};
