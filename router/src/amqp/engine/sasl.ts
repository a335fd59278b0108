/**
 * SASL for router connections: ANONYMOUS, and EXTERNAL (the identity is the TLS client
 * certificate the transport already verified). skupper-router links use EXTERNAL over mutual TLS.
 */

export const SaslOutcomeCode = { ok: 0, auth: 1, sys: 2, sysPerm: 3, sysTemp: 4 } as const;

export interface SaslServerConfig {
  /** Mechanisms offered, e.g. ['EXTERNAL'] or ['ANONYMOUS']. */
  mechanisms: readonly string[];
  /** True when the transport is TLS and the peer presented a certificate that chains to our CA. */
  peerCertificateVerified: boolean;
}

export interface SaslClientConfig {
  /** Mechanisms we may use, in order of preference. */
  mechanisms: readonly string[];
}

/** Mechanisms a listener offers: its `saslMechanisms` setting, else ANONYMOUS. */
export function offeredMechanisms(saslMechanisms: string | undefined): string[] {
  const list = (saslMechanisms ?? '').split(/[\s,]+/).filter((m) => m !== '');
  return list.length > 0 ? list.map((m) => m.toUpperCase()) : ['ANONYMOUS'];
}

/** Server side: may a client authenticate with `mechanism`? Returns a reason when not. */
export function checkMechanism(config: SaslServerConfig, mechanism: string): string | undefined {
  if (!config.mechanisms.includes(mechanism)) return `mechanism ${mechanism} is not offered (offered: ${config.mechanisms.join(' ')})`;
  if (mechanism === 'ANONYMOUS') return undefined;
  if (mechanism === 'EXTERNAL') {
    return config.peerCertificateVerified ? undefined : 'EXTERNAL needs a verified TLS client certificate';
  }
  return `mechanism ${mechanism} is not supported by Skiff`;
}

/** Client side: the first of our mechanisms the server offers. */
export function chooseMechanism(config: SaslClientConfig, offered: readonly string[]): string | undefined {
  return config.mechanisms.find((m) => offered.includes(m));
}
