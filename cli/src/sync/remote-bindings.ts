/**
 * How a local site binds a remote service: one port of its own per routing key. A service with one
 * port (what local sites announce) has one key, its address, as it always had; a service with
 * several (a Kubernetes site's multi-port exposure) has one per port, `address:port`, the routing
 * keys the origin's connectors serve (serviceRoutingKey in common/src/kube-api/names.ts).
 */
import { serviceRoutingKey } from '../../../common/src/kube-api/names.js';
import type { ServiceDefinition } from '../../../common/src/site-sync/service-definition.js';

export function remoteRoutingKeys(service: ServiceDefinition): string[] {
  const { address, ports } = service;
  return ports.length > 1 ? ports.map((port) => serviceRoutingKey(address, port, ports.length)) : [address];
}
