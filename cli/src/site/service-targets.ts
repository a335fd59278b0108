/**
 * Edits of a site's services and their targets that several commands share. A target is a
 * tcpConnector to a host:port for a service's address; a service defined here (origin this site) is
 * a listener on this site that service sync announces. `expose` does both, `service bind` only
 * adds a target, `unexpose` drops the definition with its last target, as Skupper's unexpose does.
 */
import { CliError, ErrorCode } from '../errors.js';
import type { Management } from '../mgmt/management.js';
import { exposedEntity } from './router-config.js';
import { freePort } from './free-ports.js';
import { targetName, type ExposedHost, type ServiceListener, type SiteState } from './site-state.js';

/** Adds a target for `address`; refuses one that is already there. */
export function addTarget(state: SiteState, address: string, host: string, port: number): ExposedHost {
  const name = targetName(address, host, port);
  if (state.exposed.some((e) => e.name === name)) {
    throw new CliError(ErrorCode.SKIFF_ERR_TARGET_EXISTS, `${host}:${port} is already a target of '${address}' on site '${state.name}'`, 'nothing to do, or choose another host or port');
  }
  const target: ExposedHost = { name, address, host, port };
  state.exposed.push(target);
  return target;
}

/** Defines `address` on this site with a free port unless it is defined here already. */
export async function defineLocally(state: SiteState, address: string): Promise<ServiceListener | undefined> {
  if (state.services.some((s) => s.address === address)) return undefined;
  const service: ServiceListener = { name: address, address, host: '127.0.0.1', port: await freePort() };
  state.services.push(service);
  return service;
}

/** Removes the targets `gone` from the state. */
export function removeTargets(state: SiteState, gone: readonly ExposedHost[]): void {
  state.exposed = state.exposed.filter((e) => !gone.includes(e));
}

/** Removes the definitions of these addresses that have no target left on this site. */
export function dropUntargeted(state: SiteState, addresses: readonly string[]): string[] {
  const dropped = addresses.filter((a) => !state.exposed.some((e) => e.address === a) && state.services.some((s) => s.address === a));
  state.services = state.services.filter((s) => !dropped.includes(s.address));
  return dropped;
}

export async function createTargets(mgmt: Management, targets: readonly ExposedHost[]): Promise<void> {
  for (const target of targets) await mgmt.create(exposedEntity(target));
}

export async function deleteTargets(mgmt: Management, targets: readonly ExposedHost[]): Promise<void> {
  for (const target of targets) await mgmt.delete('tcpConnector', target.name);
}
