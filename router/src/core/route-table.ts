/**
 * What the forwarder knows of the network: for each remote router, the neighbor link that leads
 * to it and the cost; for each mobile address, the remote routers with consumers. The routing
 * protocol fills it; the forwarder only reads it.
 */
export interface RouteEntry {
  nextHopLinkId: string;
  cost: number;
  /** Routers whose traffic to us may be forwarded onward from here (loop and duplicate guard). */
  validOrigins: ReadonlySet<string>;
}

export class RouteTable {
  private routes = new Map<string, RouteEntry>();
  private readonly addressRouters = new Map<string, Set<string>>();
  /** Called after routes or remote addresses change (credit for waiting senders, listeners). */
  onChange: (() => void) | undefined = undefined;

  setRoutes(routes: ReadonlyMap<string, RouteEntry>): void {
    this.routes = new Map(routes);
    this.onChange?.();
  }

  route(routerId: string): RouteEntry | undefined {
    return this.routes.get(routerId);
  }

  knownRouters(): string[] {
    return [...this.routes.keys()];
  }

  setAddressRouters(address: string, routers: ReadonlySet<string>): void {
    if (routers.size === 0) this.addressRouters.delete(address);
    else this.addressRouters.set(address, new Set(routers));
    this.onChange?.();
  }

  /** Remote routers with consumers for a mobile address that are reachable now. */
  routersFor(address: string): string[] {
    const set = this.addressRouters.get(address);
    if (set === undefined) return [];
    return [...set].filter((id) => this.routes.has(id));
  }

  remoteAddresses(): string[] {
    return [...this.addressRouters.keys()];
  }
}
