/** Listener and Connector fields Skiff accepts but does not act on yet: named in `Supported`. */
import type { Connector, Listener } from '../../../common/src/kube-api/types.js';
import { settingsKeys } from '../../../site-controller/src/desired/unsupported.js';

function named(fields: Record<string, boolean>): string[] {
  return Object.entries(fields).filter(([, set]) => set).map(([field]) => field);
}

export function unsupportedListenerFields(listener: Listener): string[] {
  const spec = listener.spec;
  return [
    ...named({
      'spec.tlsCredentials': (spec?.tlsCredentials ?? '') !== '',
      'spec.exposePodsByName': spec?.exposePodsByName === true,
      'spec.observer': (spec?.observer ?? '') !== '' && spec?.observer !== 'auto' && spec?.observer !== 'none',
    }),
    ...settingsKeys(spec?.settings),
  ];
}

export function unsupportedConnectorFields(connector: Connector): string[] {
  const spec = connector.spec;
  return [
    ...named({
      'spec.tlsCredentials': (spec?.tlsCredentials ?? '') !== '',
      'spec.useClientCert': spec?.useClientCert === true,
      'spec.exposePodsByName': spec?.exposePodsByName === true,
    }),
    ...settingsKeys(spec?.settings),
  ];
}
