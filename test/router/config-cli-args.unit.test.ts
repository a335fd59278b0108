import { describe, expect, it } from 'vitest';
import { errorLines } from '../../common/src/errors/skiff-error.js';
import { ConfigError, UsageError } from '../../router/src/errors.js';
import { DEFAULT_CONFIG_PATH, fatalError, parseCliArgs } from '../../router/src/config/cli-args.js';

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

describe('config cli-args - fatalError', () => {
  it('prints a config error as the CLI prints its errors: message, code, hint; exit 8', () => {
    const error = fatalError(new ConfigError("r.json: connector 'up': sslProfile 'x' does not exist\n  define it first"));
    expect(errorLines(error)).toEqual([
      "Error: r.json: connector 'up': sslProfile 'x' does not exist [SKIFF_ERR_CONFIG]",
      '  define it first',
      'Hint: fix the attribute the message names and start the router again (or resend the request)',
    ]);
    expect(error.exitCode).toBe(8);
  });

  it('usage errors exit 2 with a pointer to --help', () => {
    const error = fatalError(new UsageError("unknown argument '-x'"));
    expect(errorLines(error)).toEqual(["Error: unknown argument '-x' [SKIFF_ERR_USAGE]", "Hint: run 'skiff-router --help' for usage"]);
    expect(error.exitCode).toBe(2);
  });

  it('a socket the system refuses is a failed start, in one line', () => {
    const refused = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:5672\n    at Server.setupListenHandle'), { code: 'EADDRINUSE', syscall: 'listen' });
    const error = fatalError(refused);
    expect(error.code).toBe('SKIFF_ERR_ROUTER_START');
    expect(error.message).toBe('listen EADDRINUSE: address already in use 127.0.0.1:5672');
    expect(error.exitCode).toBe(5);
  });

  it('anything else is a bug (exit 1), one line of its message, never a stack', () => {
    expect(fatalError(new Error('boom\n    at x'))).toMatchObject({ code: 'SKIFF_ERR_INTERNAL', message: 'boom', exitCode: 1 });
    expect(fatalError('boom').message).toBe('boom');
    expect(fatalError(new Error('')).message).toBe('unknown error');
  });
});
