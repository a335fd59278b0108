import type { Distribution } from '../config/settings.js';

/**
 * Address classes as skupper-router hashes them (§c.5): local (`_local/x`, `_topo/0/<me>/x`),
 * flooded to all routers (`_topo/0/all/x`), toward one router (`_topo/0/<other>/x`), an edge's
 * addresses (`_edge/<id>/x`), and everything else: mobile addresses that follow their consumers.
 */

export type AddressClass =
  | { kind: 'local'; name: string }
  | { kind: 'flood'; name: string }
  | { kind: 'router'; routerId: string; name: string }
  | { kind: 'edge'; edgeId: string; name: string }
  | { kind: 'mobile'; name: string };

const AMQP_SCHEME = 'amqp:';

/** Removes the `amqp:/` scheme and leading slashes: `amqp:/_topo/0/A/x` → `_topo/0/A/x`. */
export function plainAddress(address: string): string {
  let a = address.startsWith(AMQP_SCHEME) ? address.slice(AMQP_SCHEME.length) : address;
  while (a.startsWith('/')) a = a.slice(1);
  return a;
}

export function classifyAddress(address: string, routerId: string): AddressClass {
  const a = plainAddress(address);
  if (a.startsWith('_local/')) return { kind: 'local', name: a.slice('_local/'.length) };
  if (a.startsWith('_topo/')) {
    // _topo/<area>/<router>/<rest>
    const parts = a.split('/');
    const target = parts[2] ?? '';
    const name = parts.slice(3).join('/');
    if (target === 'all') return { kind: 'flood', name };
    if (target === routerId) return { kind: 'local', name };
    return { kind: 'router', routerId: target, name };
  }
  if (a.startsWith('_edge/')) {
    const parts = a.split('/');
    const edgeId = parts[1] ?? '';
    const name = parts.slice(2).join('/');
    return edgeId === routerId ? { kind: 'local', name } : { kind: 'edge', edgeId, name };
  }
  return { kind: 'mobile', name: a };
}

/** The address a router's in-process service answers on, e.g. `_topo/0/A/$management`. */
export function topologicalAddress(routerId: string, name: string): string {
  return `amqp:/_topo/0/${routerId}/${name}`;
}


/** Treatment codes carried in MAU address lists (§c.2). */
export const Treatment = { flood: 0, multicastOnce: 1, closest: 2, balanced: 3, unavailable: 4 } as const;

export function treatmentOf(distribution: Distribution): number {
  switch (distribution) {
    case 'multicast':
      return Treatment.multicastOnce;
    case 'closest':
      return Treatment.closest;
    case 'balanced':
      return Treatment.balanced;
    case 'unavailable':
      return Treatment.unavailable;
  }
}

export interface AddressPrefixRule {
  prefix: string;
  distribution: Distribution;
}

/**
 * Picks a mobile address's distribution: the longest configured prefix that matches whole
 * `/`- or `.`-separated tokens, else the router default. `mc/` is multicast unless configured.
 */
export class DistributionRules {
  private rules: AddressPrefixRule[] = [];

  constructor(
    private readonly defaultDistribution: Distribution,
    rules: readonly AddressPrefixRule[] = [],
  ) {
    for (const r of rules) this.add(r);
  }

  add(rule: AddressPrefixRule): void {
    this.rules = [...this.rules.filter((r) => r.prefix !== rule.prefix), rule].sort((a, b) => b.prefix.length - a.prefix.length);
  }

  remove(prefix: string): void {
    this.rules = this.rules.filter((r) => r.prefix !== prefix);
  }

  distributionOf(address: string): Distribution {
    for (const r of this.rules) {
      if (matchesPrefix(address, r.prefix)) return r.distribution;
    }
    if (matchesPrefix(address, 'mc')) return 'multicast';
    return this.defaultDistribution;
  }
}

function matchesPrefix(address: string, prefix: string): boolean {
  if (!address.startsWith(prefix)) return false;
  if (address.length === prefix.length) return true;
  const next = address[prefix.length];
  return next === '/' || next === '.' || prefix.endsWith('/') || prefix.endsWith('.');
}
