/**
 * A service definition as service sync carries it (Skupper's ServiceInterface with targets left
 * out): the routing address, the protocol and the ports the origin site serves it on. Each site
 * binds its own port for it, so `ports` is what the origin chose, not what a receiver must use.
 */

export interface ServiceDefinition {
  address: string;
  protocol: 'tcp';
  ports: number[];
}

export function sameDefinition(a: ServiceDefinition, b: ServiceDefinition): boolean {
  return a.address === b.address && a.protocol === b.protocol && a.ports.join(',') === b.ports.join(',');
}

/** The definitions in a decoded JSON value; anything malformed is left out rather than trusted. */
export function definitionsFrom(value: unknown): ServiceDefinition[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): ServiceDefinition[] => {
    if (typeof item !== 'object' || item === null) return [];
    const { address, protocol, ports } = item as Record<string, unknown>;
    if (typeof address !== 'string' || address === '' || protocol !== 'tcp') return [];
    const valid = Array.isArray(ports) ? ports.filter((p): p is number => Number.isInteger(p)) : [];
    return [{ address, protocol, ports: valid }];
  });
}
