/**
 * What the forwarder can deliver to on this router, by address key ('L' + local name, 'M' +
 * mobile name): consumer links, in-process services and stream endpoints; and the routers
 * attached to it by edge connections (edges here, or this edge's uplink). The core changes them
 * through the methods below; everything else reads them through `ForwardingView`.
 */
import type { Link } from '../amqp/engine/link.js';
import type { EdgePeer } from './edge-peer.js';
import type { Uplink } from './edge-uplink.js';
import type { MessageView } from './message-view.js';
import type { RouterPeer } from './neighbor.js';
import type { StreamHead } from './stream-head.js';
import type { StreamSink, StreamSource } from './stream.js';

/** An address key: 'L' + local name, 'M' + mobile name. */
export type AddressKey = `L${string}` | `M${string}`;

export type InProcessHandler = (bytes: Buffer, view: MessageView, from: RouterPeer | undefined, logId: string | undefined) => void;

/** An in-process service that terminates streams (a tcpConnector, a tcpListener's reply side). */
export interface StreamEndpoint {
  /** Streams open here now (balanced distribution counts them). */
  readonly openStreams: number;
  accept(head: StreamHead, source: StreamSource): StreamSink | undefined;
}

/** The tables as management and the edge side read them. */
export interface ForwardingView {
  readonly consumers: ReadonlyMap<string, readonly Link[]>;
  readonly inProcess: ReadonlyMap<string, InProcessHandler>;
  readonly streamEndpoints: ReadonlyMap<string, readonly StreamEndpoint[]>;
  /** Interior mode: edge routers attached here, by id. */
  readonly edges: ReadonlyMap<string, EdgePeer>;
  /** Edge mode: the interior router everything goes to that has no consumer here. */
  readonly uplink: Uplink | undefined;
}

export class ForwardingTables implements ForwardingView {
  private readonly consumerLinks = new Map<string, Link[]>();
  private readonly services = new Map<string, InProcessHandler>();
  private readonly endpoints = new Map<string, StreamEndpoint[]>();
  private readonly edgePeers = new Map<string, EdgePeer>();
  /** Consumer links that lead to a router (an edge's proxies): they keep router annotations. */
  private readonly routerLinks = new WeakSet<Link>();
  private activeUplink: Uplink | undefined = undefined;

  get consumers(): ReadonlyMap<string, readonly Link[]> {
    return this.consumerLinks;
  }

  get inProcess(): ReadonlyMap<string, InProcessHandler> {
    return this.services;
  }

  get streamEndpoints(): ReadonlyMap<string, readonly StreamEndpoint[]> {
    return this.endpoints;
  }

  get edges(): ReadonlyMap<string, EdgePeer> {
    return this.edgePeers;
  }

  get uplink(): Uplink | undefined {
    return this.activeUplink;
  }

  /** Adds a consumer link; returns how many the key has now. */
  addConsumer(key: AddressKey, link: Link, leadsToRouter = false): number {
    if (leadsToRouter) this.routerLinks.add(link);
    return addTo(this.consumerLinks, key, link);
  }

  /** Removes a consumer link; returns how many the key has left. */
  removeConsumer(key: AddressKey, link: Link): number {
    return removeFrom(this.consumerLinks, key, link);
  }

  /** Whether messages to this consumer link keep their router annotations (it leads to a router). */
  leadsToRouter(link: Link): boolean {
    return this.routerLinks.has(link);
  }

  serve(key: AddressKey, handler: InProcessHandler): void {
    this.services.set(key, handler);
  }

  /** Adds a stream endpoint; returns how many the key has now. */
  addStreamEndpoint(key: AddressKey, endpoint: StreamEndpoint): number {
    return addTo(this.endpoints, key, endpoint);
  }

  /** Removes a stream endpoint; returns how many the key has left. */
  removeStreamEndpoint(key: AddressKey, endpoint: StreamEndpoint): number {
    return removeFrom(this.endpoints, key, endpoint);
  }

  addEdge(peer: EdgePeer): void {
    this.edgePeers.set(peer.routerId, peer);
  }

  /** Removes an edge unless a newer connection of the same edge replaced it; true if removed. */
  removeEdge(peer: EdgePeer): boolean {
    if (this.edgePeers.get(peer.routerId) !== peer) return false;
    this.edgePeers.delete(peer.routerId);
    return true;
  }

  setUplink(uplink: Uplink | undefined): void {
    this.activeUplink = uplink;
  }
}

function addTo<T>(table: Map<string, T[]>, key: string, item: T): number {
  const list = table.get(key) ?? [];
  list.push(item);
  table.set(key, list);
  return list.length;
}

function removeFrom<T>(table: Map<string, T[]>, key: string, item: T): number {
  const remaining = (table.get(key) ?? []).filter((x) => x !== item);
  if (remaining.length === 0) table.delete(key);
  else table.set(key, remaining);
  return remaining.length;
}
