/**
 * Streams toward a peer router on pooled links (core/link-senders.ts, core/stream.ts), over two
 * engine connections joined in memory: a stream whose link goes before the peer gave it credit
 * fails at once (it used to wait for credit for good, and its client with it).
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryState } from '../../router/src/amqp/engine/types.js';
import type { Link } from '../../router/src/amqp/engine/link.js';
import { StreamLinkPool } from '../../router/src/core/link-senders.js';
import { enginePair, until } from '../support/engine-pair.js';

describe('stream link pool', () => {
  it('a stream waiting for credit fails when its link is detached', async () => {
    const { client, server } = await enginePair();
    let peerLink: Link | undefined;
    // The peer answers the attach but gives no credit.
    server.onSessionBegun = (session) => {
      session.onRemoteAttach = (link) => {
        link.attach({ sndSettleMode: 2, source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
        peerLink = link;
      };
    };
    const pool = new StreamLinkPool(() => [client]);
    const updates: Array<[DeliveryState | undefined, boolean]> = [];
    pool.open(Buffer.from('head'), { update: (state, settled) => updates.push([state, settled]) });
    await until(() => peerLink?.state === 'attached');
    expect(updates).toEqual([]);
    peerLink!.detach();
    await until(() => updates.length > 0);
    expect(updates).toEqual([[{ $type: 'modified', deliveryFailed: true }, true]]);
  });
});
