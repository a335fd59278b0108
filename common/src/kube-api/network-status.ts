/**
 * What the kube-adaptor writes into ConfigMap `skupper-network-status` (key `status.json`) and the
 * controller turns into Site and Link status. Written only when its content changes.
 */
import type { SiteRecord } from './types.js';

export interface LinkState {
  /** The Link's name (= the router connector's name). */
  name: string;
  connected: boolean;
  /** Why it is not connected: the router's last connection message, or its status. */
  description: string;
  remoteSiteId?: string;
  remoteSiteName?: string;
}

export interface NetworkStatus {
  siteId: string;
  links: LinkState[];
  /** Every site heard through site reports, this site first. */
  sites: SiteRecord[];
}
