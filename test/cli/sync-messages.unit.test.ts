import { describe, expect, it } from 'vitest';
import { decodeSyncMessage, servicesMessage, siteReportMessage, SYNC_ADDRESS } from '../../common/src/site-sync/sync-messages.js';
import type { SiteReport } from '../../common/src/site-sync/site-report.js';

const report: SiteReport = { id: 'id-east', name: 'east', routerId: 'east-1', mode: 'interior', links: [{ name: 'link1', remoteSiteId: 'id-west', connected: true }], services: [] };

describe('sync messages - service-sync-update-v2 and the site report', () => {
  it('sends Skupper-shaped snapshots on the multicast sync address', () => {
    expect(SYNC_ADDRESS).toBe('mc/$skupper-service-sync');
    const message = servicesMessage('id-east', '0.1.0', [{ address: 'hello', protocol: 'tcp', ports: [8080] }]);
    expect(message).toEqual({ subject: 'service-sync-update-v2', application_properties: { origin: 'id-east', version: '0.1.0' }, body: '[{"address":"hello","protocol":"tcp","ports":[8080]}]' });
    expect(decodeSyncMessage(message)).toEqual({ kind: 'services', origin: 'id-east', definitions: [{ address: 'hello', protocol: 'tcp', ports: [8080] }] });
  });

  it('round-trips a site report', () => {
    expect(decodeSyncMessage(siteReportMessage('0.1.0', report))).toEqual({ kind: 'siteReport', origin: 'id-east', report });
  });

  it('ignores what is not service sync: no origin, another subject, junk bodies and definitions', () => {
    expect(decodeSyncMessage({ subject: 'service-sync-update-v2', body: '[]' })).toBeUndefined();
    expect(decodeSyncMessage({ subject: 'other', application_properties: { origin: 'x' }, body: '[]' })).toBeUndefined();
    expect(decodeSyncMessage({ subject: 'skiff-site-report-v1', application_properties: { origin: 'not-east' }, body: JSON.stringify(report) })).toBeUndefined();
    const junk = { subject: 'service-sync-update-v2', application_properties: { origin: 'x' }, body: '[{"address":""},{"address":"ok","protocol":"tcp","ports":[1,"2"]},{"address":"h","protocol":"http"}, 7' };
    expect(decodeSyncMessage(junk)).toEqual({ kind: 'services', origin: 'x', definitions: [] });
    const partly = { ...junk, body: '[{"address":""},{"address":"ok","protocol":"tcp","ports":[1,"2"]},{"address":"h","protocol":"http"},7]' };
    expect(decodeSyncMessage(partly)).toEqual({ kind: 'services', origin: 'x', definitions: [{ address: 'ok', protocol: 'tcp', ports: [1] }] });
  });
});
