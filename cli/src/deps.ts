/**
 * What every command receives instead of reaching for globals, so tests run the CLI in-process with
 * their own environment and captured output.
 */
import type { Platform } from './platform/platform.js';

export interface CliDeps {
  /** Environment (SKIFF_HOME, SKIFF_SITE, XDG_DATA_HOME, HOME). */
  env: Readonly<Record<string, string | undefined>>;
  /** Writes one line of results to standard output. */
  out: (line: string) => void;
  /** Writes one line of progress or diagnostics to standard error. */
  err: (line: string) => void;
  platform: Platform;
  /** The time now; tests pass a fixed clock to check expiry. */
  now: () => Date;
}

/** Options every command may read (declared on the root program). */
export interface GlobalOptions {
  output: OutputFormat;
  site?: string;
  /** `--platform`, when given; otherwise the platform is chosen by `choosePlatform`. */
  platform?: PlatformName;
  namespace?: string;
  context?: string;
  kubeconfig?: string;
}

export type OutputFormat = 'text' | 'json' | 'yaml';
export type PlatformName = 'local' | 'kubernetes';
