/**
 * The links of client connections (role normal, and an edge's proxies): receivers become the
 * forwarder's local consumers of their address (a dynamic source gets a reply address of this
 * router), senders become producers whose credit follows what the path can take.
 */
import { randomBytes } from 'node:crypto';
import type { Link } from '../amqp/engine/link.js';
import type { Session } from '../amqp/engine/session.js';
import { classifyAddress } from './addresses.js';
import type { Forwarder } from './forwarder.js';
import type { AddressKey } from './forwarding-tables.js';
import { ProducerCredit } from './producer-credit.js';

/** What client links need of the router. */
export interface ClientLinkHost {
  readonly id: string;
  /** A reply address of this router for `name`. */
  dynamicAddress(name: string): string;
  /** A mobile address gained its first or lost its last local consumer. */
  announce(address: string, added: boolean): void;
  /** What is routable may have changed. */
  routabilityChanged(): void;
}

export class ClientLinks {
  /** Credit of client sender links: a link capacity in flight each. */
  readonly producers: ProducerCredit;

  constructor(
    private readonly host: ClientLinkHost,
    private readonly forwarder: Forwarder,
  ) {
    this.producers = new ProducerCredit(forwarder);
    forwarder.onInboundSettled = (delivery) => this.producers.settled(delivery);
  }

  /** A client began a session: its receivers are consumers, its senders producers. */
  acceptSession(session: Session): void {
    session.onRemoteAttach = (link) => (link.role === 'sender' ? this.attachConsumer(link) : this.attachProducer(link));
  }

  /**
   * A client receiver (or an edge's proxy, which leads to a router): we send to it. A dynamic
   * source gets a reply address.
   */
  attachConsumer(link: Link, leadsToRouter = false): void {
    const source = link.remoteSource ?? {};
    const address = source.dynamic === true ? this.host.dynamicAddress(`temp.${randomBytes(8).toString('base64url')}`) : source.address;
    link.attach({ source: { ...source, ...(address === undefined ? {} : { address }) }, target: link.remoteTarget ?? null, sndSettleMode: (link.remote?.sndSettleMode as number | undefined) ?? 0 });
    if (address === undefined) return;
    const c = classifyAddress(address, this.host.id);
    const key: AddressKey | undefined = c.kind === 'mobile' ? `M${c.name}` : c.kind === 'local' ? `L${c.name}` : undefined;
    if (key === undefined) return;
    const tables = this.forwarder.tables;
    const count = tables.addConsumer(key, link, leadsToRouter);
    if (c.kind === 'mobile' && count === 1) this.host.announce(c.name, true);
    link.onCredit = () => this.forwarder.drainLocal(link);
    link.detached.add(() => {
      const remaining = tables.removeConsumer(key, link);
      this.forwarder.dropLocal(link);
      if (c.kind === 'mobile' && remaining === 0) this.host.announce(c.name, false);
      this.host.routabilityChanged();
    });
    this.host.routabilityChanged();
  }

  /** A client sender: credit once its target is routable (anonymous senders at once). */
  attachProducer(link: Link): void {
    link.attach({ source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
    this.producers.attach(link);
  }
}
