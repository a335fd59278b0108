/** Every fuzz target, in the order the runner takes them. */
import type { FuzzTarget } from './harness.js';
import { claimsServerTarget } from './targets/claims-server.js';
import { configTarget } from './targets/config.js';
import { connectionTarget } from './targets/connection.js';
import { frameReaderTarget } from './targets/frame-reader.js';
import { managementTarget } from './targets/management.js';
import { messagesTarget } from './targets/messages.js';
import { performativesTarget } from './targets/performatives.js';
import { tokensTarget } from './targets/tokens.js';
import { typeDecoderTarget } from './targets/type-decoder.js';

// Each target's input type is its own; runTarget only hands a target the inputs of its own arbitrary.
type AnyTarget = FuzzTarget<never>;

/** Targets by name, built on demand (some make certificates or read fixtures). */
export const TARGETS: Readonly<Record<string, () => AnyTarget>> = {
  'frame-reader': () => frameReaderTarget as AnyTarget,
  'type-decoder': () => typeDecoderTarget as AnyTarget,
  performatives: () => performativesTarget as AnyTarget,
  messages: () => messagesTarget as AnyTarget,
  connection: () => connectionTarget as AnyTarget,
  config: () => configTarget as AnyTarget,
  tokens: () => tokensTarget() as AnyTarget,
  'claims-server': () => claimsServerTarget as AnyTarget,
  management: () => managementTarget as AnyTarget,
};
