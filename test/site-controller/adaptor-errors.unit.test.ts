import { describe, expect, it } from 'vitest';
import { adaptorSettings } from '../../site-controller/src/adaptor/settings.js';

describe('adaptor errors - codes and settings', () => {
  it('reads its settings from the environment, with the contract\'s defaults', () => {
    expect(adaptorSettings({ POD_NAMESPACE: 'west', POD_NAME: 'skupper-router-1', SKIFF_SITE_NAME: 'west' })).toEqual({
      namespace: 'west', podName: 'skupper-router-1', siteName: 'west', certsDir: '/etc/skupper-router-certs', managementPort: 5672, healthPort: 9191, grantPort: 8081,
    });
    expect(adaptorSettings({ POD_NAMESPACE: 'w', SKIFF_SITE_NAME: 's', SKIFF_CERTS_DIR: '/tmp/c', SKIFF_MANAGEMENT_PORT: '15672' })).toMatchObject({ certsDir: '/tmp/c', managementPort: 15672 });
  });

  it('names a missing or bad variable', () => {
    expect(() => adaptorSettings({ SKIFF_SITE_NAME: 's' })).toThrow(/POD_NAMESPACE is not set/);
    expect(() => adaptorSettings({ POD_NAMESPACE: 'w', SKIFF_SITE_NAME: 's', SKIFF_MANAGEMENT_PORT: 'amqp' })).toThrow(/SKIFF_MANAGEMENT_PORT is 'amqp'; expected a port number/);
  });
});
