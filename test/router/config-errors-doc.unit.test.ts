import { describe, expect, it } from 'vitest';
import { ConfigError, ManagementError, UsageError } from '../../router/src/errors.js';

describe('config errors - the codes config and management raise', () => {
  it('are distinct and stable', () => {
    expect([new ConfigError('x'), new UsageError('x'), new ManagementError(404, 'x')].map((e) => e.code)).toEqual(['SKIFF_ERR_CONFIG', 'SKIFF_ERR_USAGE', 'SKIFF_ERR_MGMT_REQUEST']);
  });

  it('keep their context: where a config problem is, which status a request failed with', () => {
    const config = new ConfigError('bad port', { file: 'r.json', entity: "listener 'a'", attribute: 'port' });
    expect(config.context).toEqual({ file: 'r.json', entity: "listener 'a'", attribute: 'port' });
    expect(config.name).toBe('ConfigError');
    expect(new ManagementError(501, 'no').statusCode).toBe(501);
  });
});
