import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ControllerError } from '../../site-controller/src/runtime/errors.js';
import { controllerSettings, healthPort, watchNamespaces } from '../../site-controller/src/runtime/kube-config.js';
import { Metrics } from '../../site-controller/src/runtime/metrics.js';
import { describeError } from '../../site-controller/src/runtime/api-errors.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const noFile = '/nonexistent/namespace';

describe('settings - from the environment', () => {
  it('watches its own namespace by default, all with *, a list with a,b', () => {
    expect(watchNamespaces(undefined, 'west')).toEqual(['west']);
    expect(watchNamespaces('', 'west')).toEqual(['west']);
    expect(watchNamespaces('*', 'west')).toBeUndefined();
    expect(watchNamespaces(' a, b ,a,', 'west')).toEqual(['a', 'b']);
  });

  it('refuses a bad namespace name, naming the variable', () => {
    expect(() => watchNamespaces('a,B_x', 'west')).toThrow(/SKIFF_WATCH_NAMESPACES: 'B_x' is not a namespace name/);
  });

  it('defaults the images to this package version and reads the overrides', () => {
    const s = controllerSettings({ POD_NAMESPACE: 'west' }, noFile);
    expect(s).toEqual({
      namespace: 'west',
      watchNamespaces: ['west'],
      routerImage: `skiff/router:${version}`,
      adaptorImage: `skiff/site-controller:${version}`,
      serviceControllerImage: `skiff/service-controller:${version}`,
      nodePortHost: undefined,
      controllerName: 'skiff-site-controller',
      version,
    });
    const o = controllerSettings({ POD_NAMESPACE: 'west', SKIFF_ROUTER_IMAGE: 'r:1', SKIFF_ADAPTOR_IMAGE: 'a:1', SKIFF_SERVICE_CONTROLLER_IMAGE: 's:1', SKIFF_NODEPORT_HOST: '172.30.1.1', SKIFF_WATCH_NAMESPACES: '*' }, noFile);
    expect([o.routerImage, o.adaptorImage, o.serviceControllerImage, o.nodePortHost, o.watchNamespaces]).toEqual(['r:1', 'a:1', 's:1', '172.30.1.1', undefined]);
  });

  it('without POD_NAMESPACE nor a service account file, says which variable to set', () => {
    expect.assertions(2);
    try {
      controllerSettings({}, noFile);
    } catch (error) {
      expect(error).toBeInstanceOf(ControllerError);
      expect((error as ControllerError).code).toBe('SKIFF_ERR_CONTROLLER_SETTINGS');
    }
  });

  it('takes the health port from SKIFF_HEALTH_PORT, 9191 by default', () => {
    expect(healthPort({})).toBe(9191);
    expect(healthPort({ SKIFF_HEALTH_PORT: '0' })).toBe(0);
    expect(() => healthPort({ SKIFF_HEALTH_PORT: 'http' })).toThrow(/SKIFF_HEALTH_PORT is 'http'; expected a port number/);
  });
});

describe('metrics - Prometheus text', () => {
  it('renders counters by label set and gauges read when scraped, escaping label values', () => {
    const metrics = new Metrics();
    const c = metrics.counter('skiff_x_total', 'Things.');
    c.zero({ kind: 'Site' });
    c.inc({ kind: 'Li"nk' }, 2);
    let depth = 3;
    metrics.gauge('skiff_depth', 'Depth.', () => [[{ kind: 'Site' }, depth]]);
    depth = 4;
    expect(metrics.render()).toBe(
      [
        '# HELP skiff_x_total Things.',
        '# TYPE skiff_x_total counter',
        'skiff_x_total{kind="Site"} 0',
        'skiff_x_total{kind="Li\\"nk"} 2',
        '# HELP skiff_depth Depth.',
        '# TYPE skiff_depth gauge',
        'skiff_depth{kind="Site"} 4',
        '',
      ].join('\n'),
    );
  });
});

describe('api errors - one line', () => {
  it('takes the apiserver message out of an ApiException-shaped error, and socket codes from others', () => {
    const api = Object.assign(new Error('HTTP-Code: 403\nMessage: ...\nBody: ...'), { code: 403, body: '{"kind":"Status","message":"sites.skupper.io is forbidden"}' });
    expect(describeError(api)).toBe('HTTP 403: sites.skupper.io is forbidden');
    expect(describeError(Object.assign(new Error('Forbidden'), { statusCode: 403 }))).toBe('HTTP 403: Forbidden');
    expect(describeError(Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED: connect refused');
  });
});
