/**
 * A service definition as service sync carries it (Skupper's ServiceInterface with targets left
 * out): the routing address, the protocol and the ports the origin site serves it on. Each site
 * binds its own port for it, so `ports` is what the origin chose, not what a receiver must use.
 */

export interface ServiceDefinition {
  address: string;
  protocol: 'tcp';
  ports: number[];
  /** A StatefulSet exposed per pod (ADR 0005): pods `name-0` … `name-(size-1)`, each with its own routing key. */
  headless?: HeadlessDefinition;
}

export interface HeadlessDefinition {
  /** The StatefulSet (as Skupper v1): its pods are `name-N`, named `name-N.<address>` (the governing Service). */
  name: string;
  /** Replicas when exposed. */
  size: number;
  /** The pods' target ports, one per service port. */
  ports: number[];
}

export function sameDefinition(a: ServiceDefinition, b: ServiceDefinition): boolean {
  return a.address === b.address && a.protocol === b.protocol && a.ports.join(',') === b.ports.join(',') && sameHeadless(a.headless, b.headless);
}

function sameHeadless(a: HeadlessDefinition | undefined, b: HeadlessDefinition | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.name === b.name && a.size === b.size && a.ports.join(',') === b.ports.join(',');
}

/** A headless part as JSON carries it; undefined when it is not one (the definition then counts as ordinary). */
export function headlessFrom(value: unknown): HeadlessDefinition | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, size, ports } = value as Record<string, unknown>;
  if (typeof name !== 'string' || name === '' || !Number.isInteger(size) || (size as number) < 0 || !Array.isArray(ports)) return undefined;
  return { name, size: size as number, ports: ports.filter((p): p is number => Number.isInteger(p)) };
}

/** The definitions in a decoded JSON value; anything malformed is left out rather than trusted. */
export function definitionsFrom(value: unknown): ServiceDefinition[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): ServiceDefinition[] => {
    if (typeof item !== 'object' || item === null) return [];
    const { address, protocol, ports, headless } = item as Record<string, unknown>;
    if (typeof address !== 'string' || address === '' || protocol !== 'tcp') return [];
    const valid = Array.isArray(ports) ? ports.filter((p): p is number => Number.isInteger(p)) : [];
    const perPod = headlessFrom(headless);
    return [{ address, protocol, ports: valid, ...(perPod === undefined ? {} : { headless: perPod }) }];
  });
}
