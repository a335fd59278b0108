/**
 * A tiny simulated mesh for routing-engine tests: engines joined by links with costs, a fake
 * clock, and a forwarder that routes control messages the way the router's does — HELLO down one
 * link, `_topo/0/<id>/...` hop by hop along each router's own route table, `_topo/0/all/...` to
 * every router the sender knows. Every message is encoded to bytes and decoded again on arrival.
 * Links can be cut, routers frozen (silent, links still up), killed or restarted.
 */
import { Encoder } from '../../router/src/amqp/codec/encoder.js';
import { decodeMessage, encodeMessage, type Message } from '../../router/src/amqp/codec/message.js';
import { RoutingEngine, type OutgoingControl, type RouteEntry, type RoutingTimers } from '../../router/src/routing/routing-engine.js';

export interface SimRouter {
  engine: RoutingEngine;
  frozen: boolean;
  /** Address → routers with consumers, as addressesChanged last said. */
  addresses: Map<string, ReadonlySet<string>>;
  /** The last table routesChanged delivered. */
  routes: ReadonlyMap<string, RouteEntry>;
  sent: OutgoingControl[];
}

interface SimLink {
  a: string;
  b: string;
  cost: number;
}

const TOPO = /^(?:amqp:\/)?_topo\/0\/([^/]+)\//;
const encoder = new Encoder(1024);

export class SimNetwork {
  now = 0;
  readonly routers = new Map<string, SimRouter>();
  private readonly links = new Map<string, SimLink>();
  private readonly queue: Array<{ from: string; out: OutgoingControl }> = [];

  constructor(private readonly timers: Partial<RoutingTimers> = {}) {}

  addRouter(id: string, instance = 1): SimRouter {
    const router: Omit<SimRouter, 'engine'> = { frozen: false, addresses: new Map(), routes: new Map(), sent: [] };
    const engine = new RoutingEngine({
      id,
      instance,
      timers: this.timers,
      now: () => this.now,
      send: (out) => {
        router.sent.push(out);
        this.queue.push({ from: id, out });
      },
      events: {
        routesChanged: (table) => (router.routes = new Map(table)),
        addressesChanged: (address, routers) => {
          if (routers.size === 0) router.addresses.delete(address);
          else router.addresses.set(address, new Set(routers));
        },
      },
    });
    const full = Object.assign(router, { engine });
    this.routers.set(id, full);
    return full;
  }

  get(id: string): RoutingEngine {
    return this.router(id).engine;
  }

  router(id: string): SimRouter {
    const r = this.routers.get(id);
    if (r === undefined) throw new Error(`no router ${id}`);
    return r;
  }

  /** Link ids are `a~b`, the same at both ends. */
  connect(a: string, b: string, cost = 1): void {
    const linkId = `${a}~${b}`;
    this.links.set(linkId, { a, b, cost });
    this.get(a).neighborLinkUp(linkId, cost);
    this.get(b).neighborLinkUp(linkId, cost);
  }

  cut(a: string, b: string): void {
    const linkId = this.links.has(`${a}~${b}`) ? `${a}~${b}` : `${b}~${a}`;
    this.links.delete(linkId);
    this.routers.get(a)?.engine.neighborLinkDown(linkId);
    this.routers.get(b)?.engine.neighborLinkDown(linkId);
  }

  /** The router and its links are gone: its neighbors see their control links close. */
  kill(id: string): void {
    for (const link of [...this.links.values()]) if (link.a === id || link.b === id) this.cut(link.a, link.b);
    this.routers.delete(id);
  }

  /** Restarts a router with a new instance over the same links. */
  restart(id: string, instance: number): void {
    const linked = [...this.links.values()].filter((l) => l.a === id || l.b === id);
    this.kill(id);
    this.addRouter(id, instance);
    for (const l of linked) this.connect(l.a, l.b, l.cost);
  }

  /** Advances the clock in steps, ticking every live router and delivering what they send. */
  advance(ms: number, step = 100): void {
    for (let t = 0; t < ms; t += step) {
      this.now += step;
      for (const r of this.routers.values()) if (!r.frozen) r.engine.tick();
      this.deliver();
    }
  }

  /** Runs until `done` holds; returns the simulated time it took, or throws past `limit`. */
  until(done: () => boolean, limit: number, step = 100): number {
    const start = this.now;
    while (!done()) {
      if (this.now - start >= limit) throw new Error(`not done within ${limit} ms of simulated time`);
      this.advance(step, step);
    }
    return this.now - start;
  }

  deliver(): void {
    for (let handled = 0; this.queue.length > 0; handled++) {
      if (handled > 100_000) throw new Error('control messages loop');
      const { from, out } = this.queue.shift()!;
      encoder.reset();
      encodeMessage(encoder, out.message);
      const bytes = Buffer.from(encoder.view());
      if (out.destination.via === 'neighbor') {
        const link = this.links.get(out.destination.linkId);
        if (link !== undefined) this.arrive(link.a === from ? link.b : link.a, out.destination.linkId, bytes);
        continue;
      }
      const target = TOPO.exec(out.destination.to)?.[1];
      const sender = this.routers.get(from);
      if (target === undefined || sender === undefined) continue;
      const targets = target === 'all' ? [...sender.engine.routeTable.keys()] : [target];
      for (const dest of targets) this.route(from, dest, bytes);
    }
  }

  private route(from: string, dest: string, bytes: Buffer): void {
    let at = from;
    for (let hops = 0; hops < 32; hops++) {
      const here = this.routers.get(at);
      const entry = here?.engine.routeTable.get(dest);
      if (here === undefined || here.frozen || entry === undefined || !this.links.has(entry.nextHopLinkId)) return;
      if (entry.nextHopId === dest) {
        this.arrive(dest, entry.nextHopLinkId, bytes);
        return;
      }
      at = entry.nextHopId;
    }
  }

  private arrive(id: string, linkId: string, bytes: Buffer): void {
    const r = this.routers.get(id);
    if (r === undefined || r.frozen) return;
    const message: Message = decodeMessage(bytes);
    r.engine.receive(linkId, message);
  }
}
