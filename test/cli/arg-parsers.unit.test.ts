import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseDuration, parseName, parsePort, parsePositiveInt, parseSeconds } from '../../cli/src/arg-parsers.js';

describe('arg parsers - values commander hands over', () => {
  it('reads Go-style durations as Skupper --expiry takes them', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('90s')).toBe(90_000);
    for (const bad of ['', '15', 'm', '1h 30m', '15x', '-1m']) expect(() => parseDuration(bad)).toThrow(InvalidArgumentError);
  });

  it('takes ports 1-65535, positive integers and whole seconds only', () => {
    expect(parsePort('55671')).toBe(55671);
    for (const bad of ['0', '65536', '1.5', 'http', '']) expect(() => parsePort(bad)).toThrow(InvalidArgumentError);
    expect(parsePositiveInt('3')).toBe(3);
    expect(() => parsePositiveInt('0')).toThrow(InvalidArgumentError);
    expect(parseSeconds('0')).toBe(0);
    expect(() => parseSeconds('2.5')).toThrow(InvalidArgumentError);
  });

  it('takes names that are DNS labels', () => {
    expect(parseName('west-1')).toBe('west-1');
    for (const bad of ['West', '1west', 'west_1', 'west-', 'a'.repeat(64)]) expect(() => parseName(bad)).toThrow(InvalidArgumentError);
  });
});
