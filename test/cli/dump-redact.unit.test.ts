import { describe, expect, it } from 'vitest';
import { REDACTED, redactJson, redactText } from '../../cli/src/commands/debug/redact.js';

const pem = '-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----';

describe('debug dump redaction - secrets never reach the archive', () => {
  it('replaces values under secret keys, keeps paths to key files and the rest', () => {
    const state = { name: 'c1', password: 'hunter2', nested: [{ privateKeyPassword: 'p', privateKeyFile: '/certs/tls.key', secretName: 's' }], remaining: 1 };
    expect(redactJson(state)).toEqual({ name: 'c1', password: REDACTED, nested: [{ privateKeyPassword: REDACTED, privateKeyFile: '/certs/tls.key', secretName: 's' }], remaining: 1 });
  });

  it('cuts PEM private key blocks, RSA and EC ones and one cut short, from any text', () => {
    expect(redactText(`before\n${pem}\nafter`)).toBe(`before\n${REDACTED}\nafter`);
    expect(redactText('-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----')).toBe(REDACTED);
    expect(redactText('log: -----BEGIN RSA PRIVATE KEY-----\nMIIE')).toBe(`log: ${REDACTED}`);
    expect(redactJson({ note: pem })).toEqual({ note: REDACTED });
  });
});
