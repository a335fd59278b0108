/**
 * Connects the routing engine to the router: neighbors coming and going, routing messages
 * arriving on `_local/qdhello`, `_topo/0/<me>/qdrouter` and `qdrouter.ma` (flooded ones too),
 * messages the engine sends, and the routes and addresses it computes, which fill the route table.
 */
import { Ticker } from '../../amqp/engine/ticker.js';
import { logger } from '../../log.js';
import { treatmentOf } from '../addresses.js';
import type { RouteEntry } from '../route-table.js';
import type { Router } from '../router.js';
import { decodeRoutingMessage } from './messages.js';
import type { PathResult } from './paths.js';
import { RoutingEngine } from './routing-engine.js';

const log = logger('ROUTER_LS');
/** How often the engine's timers are looked at; well under helloInterval. */
const TICK_MS = 100;

export class RoutingDriver {
  readonly engine: RoutingEngine;
  private readonly ticker = new Ticker(TICK_MS);
  private readonly tick = (): void => this.engine.tick();

  constructor(private readonly router: Router) {
    const s = router.settings;
    this.engine = new RoutingEngine(
      router.id,
      Math.floor(Date.now() / 1000),
      {
        helloIntervalMs: s.helloIntervalSeconds * 1000,
        helloMaxAgeMs: s.helloMaxAgeSeconds * 1000,
        raIntervalMs: s.raIntervalSeconds * 1000,
        raIntervalFluxMs: s.raIntervalFluxSeconds * 1000,
        remoteLsMaxAgeMs: s.remoteLsMaxAgeSeconds * 1000,
      },
      this.ticker.now,
      {
        sendToNeighbor: (id, bytes) => {
          const neighbor = router.neighbors.get(id);
          if (neighbor !== undefined) router.sendToNeighbor(neighbor, bytes);
        },
        send: (bytes) => router.sendMessage(bytes),
        pathsChanged: (paths) => this.applyPaths(paths),
        addressChanged: (address, routers) => router.routes.setAddressRouters(address, routers),
      },
    );
  }

  start(): void {
    const r = this.router;
    r.hooks.neighborUp = (n) => this.engine.linkUp(n.routerId, n.cost);
    r.hooks.neighborDown = (n) => {
      if (!r.neighbors.has(n.routerId)) this.engine.linkDown(n.routerId);
    };
    r.hooks.localAddress = (address, added) => {
      this.engine.setLocalAddress(address, added ? treatmentOf(r.rules.distributionOf(address)) : undefined);
    };
    const receive = (bytes: Buffer, view: { bodyOffset: number }): void => {
      try {
        const msg = decodeRoutingMessage(bytes.subarray(view.bodyOffset));
        if (msg !== undefined) this.engine.receive(msg);
      } catch (err) {
        log.warning(`dropping a routing message: ${(err as Error).message}`);
      }
    };
    r.serve('Lqdhello', receive);
    r.serve('Lqdrouter', receive);
    r.serve('Lqdrouter.ma', receive);
    this.ticker.add(this.tick);
  }

  stop(): void {
    this.ticker.delete(this.tick);
  }

  private applyPaths(paths: PathResult): void {
    const routes = new Map<string, RouteEntry>();
    for (const [id, hop] of paths.nextHop) {
      const neighbor = this.router.neighbors.get(hop);
      if (neighbor === undefined) continue;
      routes.set(id, { nextHopLinkId: neighbor.linkId, cost: paths.cost.get(id)!, validOrigins: paths.validOrigins.get(id) ?? new Set() });
    }
    this.router.routes.setRoutes(routes);
  }
}
