/**
 * The receiving side of service sync, as pure bookkeeping (reference §5.6): the definitions other
 * sites announced, who announced each, and when each origin was last heard.
 *
 * - The first origin to define an address keeps it while it still announces it.
 * - A definition missing from its origin's latest snapshot goes at once.
 * - An origin silent for longer than the grace period loses all its definitions.
 * - A service defined on this site hides a remote one of the same address (local wins).
 */
import { sameDefinition, type ServiceDefinition } from './service-definition.js';

export interface RemoteService extends ServiceDefinition {
  /** Site id of the site that announced it. */
  origin: string;
}

export class RemoteServiceTable {
  private readonly byAddress = new Map<string, RemoteService>();
  private readonly lastHeard = new Map<string, number>();

  /** Starts from a saved table; its origins count as heard `now`, so the grace runs from here. */
  constructor(saved: readonly RemoteService[], now: number) {
    for (const service of saved) {
      this.byAddress.set(service.address, service);
      this.lastHeard.set(service.origin, now);
    }
  }

  list(): RemoteService[] {
    return [...this.byAddress.values()].sort((a, b) => a.address.localeCompare(b.address));
  }

  heard(origin: string, now: number): void {
    this.lastHeard.set(origin, now);
  }

  /** Takes an origin's latest snapshot; true when the table changed. */
  applySnapshot(origin: string, definitions: readonly ServiceDefinition[], localAddresses: ReadonlySet<string>, now: number): boolean {
    this.heard(origin, now);
    let changed = false;
    const announced = new Map(definitions.map((d) => [d.address, d]));
    for (const [address, service] of this.byAddress) {
      if (service.origin === origin && (!announced.has(address) || localAddresses.has(address))) changed = this.byAddress.delete(address) || changed;
    }
    for (const definition of announced.values()) {
      if (localAddresses.has(definition.address)) continue;
      const held = this.byAddress.get(definition.address);
      if (held !== undefined && (held.origin !== origin || sameDefinition(held, definition))) continue;
      this.byAddress.set(definition.address, { ...definition, origin });
      changed = true;
    }
    return changed;
  }

  /** Drops remote definitions of addresses now defined on this site; true when any went. */
  yieldTo(localAddresses: ReadonlySet<string>): boolean {
    let changed = false;
    for (const address of localAddresses) changed = this.byAddress.delete(address) || changed;
    return changed;
  }

  /** Forgets origins not heard for longer than `graceMs`, with their definitions; returns them. */
  expire(now: number, graceMs: number): string[] {
    const silent = [...this.lastHeard].filter(([, heard]) => now - heard > graceMs).map(([origin]) => origin);
    for (const origin of silent) {
      this.lastHeard.delete(origin);
      for (const [address, service] of this.byAddress) if (service.origin === origin) this.byAddress.delete(address);
    }
    return silent;
  }
}
