/**
 * verifyHostname as skupper-router applies it: a TLS client made from clientTlsOptions (what
 * connectors and tcpConnectors dial with) accepts and refuses the same server certificates that
 * skrouterd did, and says why when it refuses.
 */
import { once } from 'node:events';
import { connect as tlsConnect, createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa } from '../../common/src/pki.js';
import { clientTlsOptions } from '../../router/src/transport/tls-options.js';
import { PEER_NAME_CASES, PEER_NAME_HOSTS, issuePeerNameCert } from '../support/peer-name-certs.js';

const ca = createCa('peer-name-ca');
const servers = new Map<string, Server>();

/** 'accepted', or the error that ended the handshake. */
async function dial(host: string, port: number, verifyHostname: boolean): Promise<string> {
  const socket = tlsConnect(clientTlsOptions(host, port, verifyHostname, { ca: ca.cert }));
  try {
    await once(socket, 'secureConnect');
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  } finally {
    socket.destroy();
  }
}

const portOf = (name: string): number => (servers.get(name)!.address() as { port: number }).port;

describe('TLS verifyHostname - the names skupper-router accepts', () => {
  beforeAll(async () => {
    for (const c of PEER_NAME_CASES) {
      const pair = issuePeerNameCert(ca, c);
      const server = createServer({ cert: pair.cert, key: pair.key }, (s) => s.end());
      server.on('tlsClientError', () => undefined);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      servers.set(c.name, server);
    }
  });

  afterAll(() => {
    for (const s of servers.values()) s.close();
  });

  for (const c of PEER_NAME_CASES) {
    for (const host of PEER_NAME_HOSTS) {
      const accepted = c.skrouterdAccepts[host];
      it(`${c.name} dialled as ${host}: ${accepted ? 'accepted' : 'refused'}, as skrouterd did`, async () => {
        const outcome = await dial(host, portOf(c.name), true);
        if (accepted) expect(outcome).toBe('accepted');
        else expect(outcome).toMatch(new RegExp(`^the certificate does not name ${host}: its DNS names \\(.*\\) and common name \\(${c.commonName}\\) are checked`));
      });
    }
  }

  it('an IP address entry is named as unused, with what to do', async () => {
    expect(await dial('127.0.0.1', portOf('ip-address-entry'), true)).toBe(
      'the certificate does not name 127.0.0.1: its DNS names (localhost) and common name (server) are checked, as skupper-router does ' +
        '(its IP address entry 127.0.0.1 is not used); issue it with 127.0.0.1 as a DNS name, dial a name it lists, or set verifyHostname to false',
    );
  });

  it('verifyHostname false: any name, but still only a certificate from the CA', async () => {
    for (const c of PEER_NAME_CASES) expect(await dial('127.0.0.1', portOf(c.name), false)).toBe('accepted');
    const stranger = tlsConnect(clientTlsOptions('127.0.0.1', portOf('dns-name-ip'), false, { ca: createCa('other-ca').cert }));
    await expect(once(stranger, 'secureConnect')).rejects.toThrow(/unable to verify|self.signed|certificate/i);
    stranger.destroy();
  });
});
