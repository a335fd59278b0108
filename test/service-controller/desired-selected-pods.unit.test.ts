import { describe, expect, test } from 'vitest';
import { matches, parseSelector } from '../../service-controller/src/desired/label-selector.js';
import { selectedPods } from '../../service-controller/src/desired/selected-pods.js';
import { connector, pod } from './desired-fixtures.js';

describe('service-controller label selector', () => {
  test('label selector - equality, inequality, sets and existence, as kubectl -l reads them', () => {
    const parsed = parseSelector('app=hello, tier!=db,env in (a, b),!legacy,zone');
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(matches(parsed.requirements, { app: 'hello', env: 'a', zone: 'z' })).toBe(true);
    expect(matches(parsed.requirements, { app: 'hello', env: 'c', zone: 'z' })).toBe(false);
    expect(matches(parsed.requirements, { app: 'hello', env: 'a', zone: 'z', tier: 'db' })).toBe(false);
    expect(matches(parsed.requirements, { app: 'hello', env: 'a', zone: 'z', legacy: '' })).toBe(false);
    expect(matches(parsed.requirements, { app: 'hello', env: 'a' })).toBe(false);
    const notin = parseSelector('app==x,env notin (prod)');
    expect(notin.ok && matches(notin.requirements, { app: 'x' })).toBe(true);
  });

  test('label selector - says what is wrong with bad text', () => {
    expect(parseSelector('')).toEqual({ ok: false, problem: 'it is empty' });
    expect(parseSelector('app=hel lo')).toMatchObject({ ok: false });
    expect(parseSelector('=x')).toMatchObject({ ok: false, problem: expect.stringContaining("'=x'") });
  });
});

describe('service-controller selected pods', () => {
  test('selected pods - matching, Running, Ready, not terminating, with an IP; sorted by name', () => {
    const pods = [
      pod('b-ready', { ip: '10.244.1.7' }),
      pod('a-ready', { ip: '10.244.1.6' }),
      pod('other', { labels: { app: 'other' } }),
      pod('unready', { ready: false }),
      pod('pending', { phase: 'Pending' }),
      pod('going', { terminating: true }),
      pod('no-ip', { ip: '' }),
    ];
    const c = connector('hello', { selector: 'app=hello' });
    expect(selectedPods(c, pods)).toEqual([{ name: 'a-ready', ip: '10.244.1.6' }, { name: 'b-ready', ip: '10.244.1.7' }]);
    const withNotReady = connector('hello', { selector: 'app=hello', includeNotReadyPods: true });
    expect(selectedPods(withNotReady, pods).map((p) => p.name)).toEqual(['a-ready', 'b-ready', 'unready']);
  });

  test('selected pods - none for a host Connector or a bad selector', () => {
    expect(selectedPods(connector('db', { host: 'db' }), [pod('x')])).toEqual([]);
    expect(selectedPods(connector('bad', { selector: 'a b' }), [pod('x')])).toEqual([]);
  });
});
