import { describe, expect, it } from 'vitest';
import { AmqpDecodeError, ConfigError, UsageError } from '../../router/src/errors.js';
import { DEFAULT_CONFIG_PATH, formatFatal, parseCliArgs } from '../../router/src/config/cli-args.js';

describe('config cli-args - parseCliArgs', () => {
  it('takes the config file from -c, --config FILE and --config=FILE', () => {
    expect(parseCliArgs(['-c', 'a.json'], '1.0')).toEqual({ kind: 'run', configPath: 'a.json' });
    expect(parseCliArgs(['--config', 'b.json'], '1.0')).toEqual({ kind: 'run', configPath: 'b.json' });
    expect(parseCliArgs(['--config=c.json'], '1.0')).toEqual({ kind: 'run', configPath: 'c.json' });
  });

  it("defaults to skrouterd's config path", () => {
    expect(parseCliArgs([], '1.0')).toEqual({ kind: 'run', configPath: DEFAULT_CONFIG_PATH });
  });

  it('answers --help and --version before anything else', () => {
    const help = parseCliArgs(['--help', '--bogus'], '1.0');
    expect(help.kind).toBe('help');
    expect(help.kind === 'help' && help.text).toContain('-c, --config FILE');
    expect(parseCliArgs(['-v'], '0.1.0')).toEqual({ kind: 'version', text: 'skiff-router 0.1.0' });
  });

  it('refuses unknown arguments, a missing file name and a repeated --config', () => {
    expect(() => parseCliArgs(['--verbose'], '1')).toThrow(new UsageError("unknown argument '--verbose'"));
    expect(() => parseCliArgs(['-c'], '1')).toThrow('-c needs a file name');
    expect(() => parseCliArgs(['--config='], '1')).toThrow('--config= needs a file name');
    expect(() => parseCliArgs(['-c', 'a', '-c', 'b'], '1')).toThrow('--config given twice');
  });
});

describe('config cli-args - formatFatal', () => {
  it('prints a config error as it is, up to three lines, without a stack', () => {
    const error = new ConfigError("r.json: connector 'up': sslProfile 'x' does not exist\n  define it first");
    const text = formatFatal(error);
    expect(text).toBe("skiff-router: r.json: connector 'up': sslProfile 'x' does not exist\n  define it first");
    expect(text).not.toContain('at ');
  });

  it('cuts a long Skiff message to three lines', () => {
    expect(formatFatal(new AmqpDecodeError('a\nb\nc\nd\ne')).split('\n')).toEqual(['skiff-router: a', 'b', 'c']);
  });

  it('adds a hint to usage errors', () => {
    expect(formatFatal(new UsageError("unknown argument '-x'"))).toBe(
      "skiff-router: unknown argument '-x'\n  run 'skiff-router --help' for usage",
    );
  });

  it('gives one line for foreign errors and thrown non-errors', () => {
    const error = new Error('listen EADDRINUSE: address already in use 127.0.0.1:5672\n    at Server.setupListenHandle');
    expect(formatFatal(error)).toBe('skiff-router: listen EADDRINUSE: address already in use 127.0.0.1:5672');
    expect(formatFatal('boom')).toBe('skiff-router: boom');
    expect(formatFatal(new Error(''))).toBe('skiff-router: unknown error');
  });
});
