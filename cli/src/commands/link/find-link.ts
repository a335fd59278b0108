/** Looks a link up by name, failing with the names there are. */
import { CliError, ErrorCode } from '../../errors.js';
import type { LinkRecord, SiteState } from '../../site/site-state.js';

export function findLink(state: SiteState, name: string): LinkRecord {
  const link = state.links.find((l) => l.name === name);
  if (link === undefined) {
    const names = state.links.map((l) => l.name);
    throw new CliError(ErrorCode.SKIFF_ERR_LINK_NOT_FOUND, `no link named '${name}' on site '${state.name}'`, names.length === 0 ? 'this site has no links' : `links: ${names.join(', ')}`);
  }
  return link;
}
