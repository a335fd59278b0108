/**
 * One result per command, printed as text lines or as one JSON or YAML document (the same object).
 * The keys are part of the CLI's contract (scripts read them); text may change.
 */
import { stringify } from 'yaml';
import type { CliDeps, GlobalOptions } from './deps.js';

export interface CommandResult {
  text: readonly string[];
  /** Stable keys: scripts read them. */
  json: object;
}

export function emit(deps: CliDeps, options: GlobalOptions, result: CommandResult): void {
  if (options.output === 'json') deps.out(JSON.stringify(result.json, null, 2));
  else if (options.output === 'yaml') deps.out(stringify(result.json).replace(/\n$/, ''));
  else for (const line of result.text) deps.out(line);
}
