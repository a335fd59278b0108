/**
 * Per-module logging in skupper-router's style: modules (ROUTER, ROUTER_LS, TCP_ADAPTOR, ...) each
 * have enabled levels set by `log` entities ("info+", "debug,warning+", "none"); DEFAULT applies to
 * modules without their own setting. One line per event, ids in brackets: `[C7][L2] attached`.
 */
import { appendFileSync } from 'node:fs';

export const LEVELS = ['trace', 'debug', 'info', 'notice', 'warning', 'error', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export interface LogSettings {
  /** Which levels are on, e.g. "info+" or "debug,error+"; "none" for nothing. */
  enable?: string;
  includeTimestamp?: boolean;
  /** "stderr" (default), "stdout", or a file path. */
  outputFile?: string;
}

const DEFAULT_ENABLE = 'info+';
const settings = new Map<string, LogSettings>();

/** Parses an enable string into the set of levels it turns on; undefined when malformed. */
export function parseEnable(enable: string): Set<Level> | undefined {
  const on = new Set<Level>();
  const spec = enable.trim().toLowerCase();
  if (spec === 'none' || spec === '') return on;
  for (const part of spec.split(',').map((p) => p.trim())) {
    const plus = part.endsWith('+');
    const name = (plus ? part.slice(0, -1) : part) as Level;
    const at = LEVELS.indexOf(name);
    if (at < 0) return undefined;
    for (const level of plus ? LEVELS.slice(at) : [name]) on.add(level);
  }
  return on;
}

const enabledCache = new Map<string, Set<Level>>();

/** Applies a `log` entity's settings to a module ("DEFAULT" for all modules without their own). */
export function configureLog(module: string, update: LogSettings): void {
  settings.set(module, { ...settings.get(module), ...update });
  enabledCache.clear();
}

function enabledFor(module: string): Set<Level> {
  let on = enabledCache.get(module);
  if (on === undefined) {
    const enable = settings.get(module)?.enable ?? settings.get('DEFAULT')?.enable ?? DEFAULT_ENABLE;
    on = parseEnable(enable) ?? parseEnable(DEFAULT_ENABLE)!;
    enabledCache.set(module, on);
  }
  return on;
}

/**
 * Log streams whose reader went away (EPIPE). Writing on would fail again, and an unhandled stream
 * error is reported through the log: the router would spin logging its own failure to log.
 */
const closedOutputs = new Set<NodeJS.WriteStream>();
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => closedOutputs.add(stream));

function writeTo(stream: NodeJS.WriteStream, line: string): void {
  if (!closedOutputs.has(stream)) stream.write(line);
}

function write(module: string, level: Level, text: string): void {
  const own = settings.get(module);
  const fallback = settings.get('DEFAULT');
  const output = own?.outputFile ?? fallback?.outputFile ?? 'stderr';
  const stamp = (own?.includeTimestamp ?? fallback?.includeTimestamp ?? true) ? `${new Date().toISOString()} ` : '';
  const line = `${stamp}${module} (${level}) ${text}\n`;
  if (output === 'stderr') writeTo(process.stderr, line);
  else if (output === 'stdout') writeTo(process.stdout, line);
  else appendFileSync(output, line);
}

export class Logger {
  constructor(readonly module: string) {}

  enabled(level: Level): boolean {
    return enabledFor(this.module).has(level);
  }

  log(level: Level, text: string): void {
    if (this.enabled(level)) write(this.module, level, text);
  }

  trace(text: string): void {
    this.log('trace', text);
  }
  debug(text: string): void {
    this.log('debug', text);
  }
  info(text: string): void {
    this.log('info', text);
  }
  notice(text: string): void {
    this.log('notice', text);
  }
  warning(text: string): void {
    this.log('warning', text);
  }
  error(text: string): void {
    this.log('error', text);
  }
}

const loggers = new Map<string, Logger>();

export function logger(module: string): Logger {
  let l = loggers.get(module);
  if (l === undefined) {
    l = new Logger(module);
    loggers.set(module, l);
  }
  return l;
}
