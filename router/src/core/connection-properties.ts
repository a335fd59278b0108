/**
 * What this router says about itself on each connection it opens or accepts (the open frame's
 * properties and capabilities, as skupper-router sends them), and what it reads of a peer's:
 * whether an inter-router connection only carries streams for its group (a data connection),
 * the group it belongs to, and the link cost the peer asks for.
 */
import { AmqpMap, sym, textOf, Typed } from '../amqp/codec/values.js';

export const PRODUCT = 'skiff-router';
export const VERSION = '0.1.0';
export const CONNECTION_CAPABILITIES = ['ANONYMOUS-RELAY', 'qd.streaming-links', 'qd.connection_trunking'];
/** `qd.inter-router-role` of a connection that only carries streams for its group. */
const INTER_ROUTER_DATA_ROLE = 4;

/** An outgoing inter-router connection's group: its correlator, and whether it is a data connection. */
export interface ConnectionGroup {
  correlator: string;
  data: boolean;
}

export function ourProperties(id: number, accessId: string | undefined, group: ConnectionGroup | undefined, cost: number): AmqpMap {
  const properties = AmqpMap.withSymbolKeys({
    product: PRODUCT,
    version: VERSION,
    'qd.conn-id': new Typed('int', id),
    'qd.annotations-version': new Typed('int', 2),
  });
  if (accessId !== undefined) properties.set(sym('qd.access-id'), accessId);
  if (group !== undefined) {
    if (group.data) properties.set(sym('qd.inter-router-role'), new Typed('int', INTER_ROUTER_DATA_ROLE));
    properties.set(sym('qd.group-correlator'), group.correlator);
    if (cost > 1) properties.set(sym('qd.inter-router-cost'), new Typed('int', cost));
  }
  return properties;
}

/** Whether a connection's properties (ours or the peer's) make it an inter-router data connection. */
export function isDataConnection(properties: AmqpMap | undefined): boolean {
  return properties !== undefined && numberProp(properties, 'qd.inter-router-role') === INTER_ROUTER_DATA_ROLE;
}

export function groupCorrelatorOf(properties: AmqpMap): string | undefined {
  return textOf(properties.get('qd.group-correlator'));
}

export function costOf(properties: AmqpMap): number | undefined {
  return numberProp(properties, 'qd.inter-router-cost');
}

function numberProp(props: AmqpMap, key: string): number | undefined {
  const v = props.get(key);
  if (typeof v === 'number') return v;
  if (v instanceof Typed && typeof v.value === 'number') return v.value;
  return undefined;
}
