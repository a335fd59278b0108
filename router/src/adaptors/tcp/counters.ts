/**
 * Counters of one tcpListener or tcpConnector, as management and /metrics report them.
 * bytesIn: bytes read from the local sockets (clients for a listener, servers for a connector);
 * bytesOut: bytes written to them.
 */
export class TcpCounters {
  connectionsOpened = 0;
  connectionsClosed = 0;
  bytesIn = 0;
  bytesOut = 0;

  get open(): number {
    return this.connectionsOpened - this.connectionsClosed;
  }
}
