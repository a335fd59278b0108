/**
 * One result per command, printed as text lines or as one JSON object. The JSON keys are part of
 * the CLI's contract (scripts read them); text may change.
 */
import type { CliDeps, GlobalOptions } from './deps.js';

export interface CommandResult {
  text: readonly string[];
  /** Stable keys: scripts read them. */
  json: object;
}

export function emit(deps: CliDeps, options: GlobalOptions, result: CommandResult): void {
  if (options.output === 'json') deps.out(JSON.stringify(result.json, null, 2));
  else for (const line of result.text) deps.out(line);
}
