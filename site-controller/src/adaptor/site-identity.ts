/**
 * The Site this router serves (SKIFF_SITE_NAME in the pod's namespace): its uid is the site id in
 * reports and status, and the owner of the network status ConfigMap. Read through the API until
 * found; a uid never changes, so once known it is kept.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { describeApiError, readSite } from './kube-reads.js';

export interface SiteRef {
  name: string;
  uid: string;
}

export class SiteIdentity {
  private site: SiteRef | undefined = undefined;
  private problem = '';

  constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
    readonly name: string,
    private readonly log: (line: string) => void,
  ) {}

  current(): SiteRef | undefined {
    return this.site;
  }

  /** The Site, reading it when not yet known; undefined (logged once) while it cannot be read. */
  async resolve(): Promise<SiteRef | undefined> {
    if (this.site !== undefined) return this.site;
    let problem: string;
    try {
      const site = await readSite(this.kc, this.namespace, this.name);
      const uid = site?.metadata.uid;
      if (uid !== undefined) {
        this.site = { name: this.name, uid };
        this.log(`site ${this.name}: id ${uid}`);
        return this.site;
      }
      problem = `Site ${this.name} not found in namespace ${this.namespace}; network status waits for it`;
    } catch (error) {
      problem = `cannot read Site ${this.name}: ${describeApiError(error)}`;
    }
    if (problem !== this.problem) this.log(problem);
    this.problem = problem;
    return undefined;
  }
}
