/**
 * Neighbor tracking by HELLO (§c.2 "Neighbor logic"). Each control link the router opens or
 * accepts is a candidate; we learn who is at the other end from its HELLOs. A neighbor is up
 * while its HELLOs list our id (it hears us too: two-way) and down when none such arrived within
 * helloMaxAge, when it restarted (new instance), or at once when its control link dies.
 *
 *   link up ──HELLO(id)──▶ heard ──HELLO(seen ∋ us)──▶ two-way ──silence > maxAge──▶ heard/gone
 */
import { logger } from '../log.js';
import type { HelloBody } from './messages.js';

const log = logger('ROUTER_HELLO');

export type NeighborChange =
  | { kind: 'up'; peerId: string; linkId: string; cost: number }
  | { kind: 'down'; peerId: string; linkId: string; why: string }
  | { kind: 'restarted'; peerId: string; instance: number };

interface NeighborLink {
  readonly linkId: string;
  readonly cost: number;
  peerId: string | undefined;
  instance: number | undefined;
  /** When any HELLO last came from this link (for our own `seen` list). */
  lastHeard: number;
  /** When a HELLO listing us last came: two-way while within helloMaxAge. */
  lastTwoWay: number;
  twoWay: boolean;
}

export class NeighborTable {
  private readonly links = new Map<string, NeighborLink>();

  constructor(
    private readonly selfId: string,
    private readonly selfInstance: number,
    private readonly helloMaxAge: number,
  ) {}

  linkUp(linkId: string, cost: number): void {
    this.links.set(linkId, { linkId, cost, peerId: undefined, instance: undefined, lastHeard: -Infinity, lastTwoWay: -Infinity, twoWay: false });
  }

  linkDown(linkId: string): NeighborChange[] {
    const link = this.links.get(linkId);
    this.links.delete(linkId);
    return link === undefined ? [] : this.drop(link, 'its control link closed');
  }

  hello(linkId: string, hello: HelloBody, now: number): NeighborChange[] {
    if (hello.id === this.selfId) {
      if (hello.instance !== this.selfInstance) {
        log.error(`duplicate router id: a HELLO on link ${linkId} carries our id ${this.selfId} with instance ${hello.instance} (ours ${this.selfInstance})`);
      }
      return [];
    }
    const link = this.links.get(linkId);
    if (link === undefined) return [];
    const changes: NeighborChange[] = [];
    if (link.peerId !== undefined && link.peerId !== hello.id) changes.push(...this.drop(link, `link now leads to ${hello.id}`));
    if (link.peerId === hello.id && link.instance !== undefined && link.instance !== hello.instance) {
      log.info(`neighbor ${hello.id} restarted: instance ${link.instance} -> ${hello.instance}`);
      changes.push(...this.drop(link, 'it restarted'));
      changes.push({ kind: 'restarted', peerId: hello.id, instance: hello.instance });
    }
    link.peerId = hello.id;
    link.instance = hello.instance;
    link.lastHeard = now;
    if (hello.seen.includes(this.selfId)) {
      link.lastTwoWay = now;
      if (!link.twoWay) {
        link.twoWay = true;
        log.info(`neighbor ${hello.id} on link ${linkId}: one-way -> two-way (cost ${link.cost})`);
        changes.push({ kind: 'up', peerId: hello.id, linkId, cost: link.cost });
      }
    }
    return changes;
  }

  /** Neighbors whose HELLOs stopped listing us for longer than helloMaxAge. */
  expire(now: number): NeighborChange[] {
    const changes: NeighborChange[] = [];
    for (const link of this.links.values()) {
      if (link.twoWay && now - link.lastTwoWay > this.helloMaxAge) {
        changes.push(...this.drop(link, `no HELLO listing us for ${this.helloMaxAge} ms`));
      }
    }
    return changes;
  }

  /** Ids heard within helloMaxAge, for our HELLO's `seen`. */
  seen(now: number): string[] {
    const ids = new Set<string>();
    for (const link of this.links.values()) {
      if (link.peerId !== undefined && now - link.lastHeard <= this.helloMaxAge) ids.add(link.peerId);
    }
    return [...ids].sort();
  }

  linkIds(): string[] {
    return [...this.links.keys()];
  }

  /** Two-way neighbors: peer id → link and cost (the lowest link id when there are several). */
  upNeighbors(): Map<string, { linkId: string; cost: number }> {
    const out = new Map<string, { linkId: string; cost: number }>();
    for (const link of [...this.links.values()].sort((a, b) => (a.linkId < b.linkId ? -1 : 1))) {
      if (link.twoWay && link.peerId !== undefined && !out.has(link.peerId)) out.set(link.peerId, { linkId: link.linkId, cost: link.cost });
    }
    return out;
  }

  private drop(link: NeighborLink, why: string): NeighborChange[] {
    if (!link.twoWay || link.peerId === undefined) return [];
    link.twoWay = false;
    link.lastTwoWay = -Infinity;
    log.info(`neighbor ${link.peerId} on link ${link.linkId}: two-way -> down (${why})`);
    return [{ kind: 'down', peerId: link.peerId, linkId: link.linkId, why }];
  }
}
