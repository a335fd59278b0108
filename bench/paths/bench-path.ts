/** A path under test: where clients connect, and which relay processes to watch. */
import type { TlsFiles } from '../../test/support/tls-files.js';

export interface Relay {
  /** e.g. "router A", "tunnel entry". */
  label: string;
  pid: number;
}

export interface BenchPath {
  /** Clients connect to 127.0.0.1:port; the far end reaches the bench server. */
  port: number;
  relays: Relay[];
  /** Caveats found while starting (e.g. the open-files limit could not be raised). */
  notes: string[];
  stop: () => Promise<void>;
}

export interface PathContext {
  serverPort: number;
  /** Certificate files for mutual TLS between relays (one CA, one key pair shared by all). */
  tls: TlsFiles;
}

export interface PathSpec {
  /** Column letter as in the brief: a direct, b TLS tunnel, c Skiff 1 hop, d 2 hops, e skupper-router. */
  id: string;
  title: string;
  start: (context: PathContext) => Promise<BenchPath>;
}
