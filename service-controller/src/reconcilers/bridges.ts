/**
 * Bridges reconciler (ADR 0005): one reconcile for the whole site. It computes the tcpListeners and
 * tcpConnectors the Listeners and Connectors want, QUERYs the router's, and sends only the DELETEs
 * and CREATEs that differ (nothing unchanged is touched). It runs again on every change of
 * Listeners, Connectors, Pods or Services, when the router connection is made again (a restarted
 * router has no bridges), and every few seconds as a check of the router's side.
 */
import { ManagementError, ManagementErrorCode, type AmqpManagement } from '../../../common/src/amqp-management.js';
import { planSync, type Entity, type EntityRef } from '../../../site-controller/src/adaptor/entity-diff.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../../../site-controller/src/runtime/reconciler.js';
import { BridgeTypes, desiredBridges, type ConnectorTargets } from '../desired/bridges.js';
import { planListeners } from '../desired/listener-plan.js';
import { selectedPods } from '../desired/selected-pods.js';
import { connectorProblem } from '../desired/spec-problems.js';
import type { ServiceControllerDeps } from '../deps.js';

/** How often the router's bridges are checked against the wanted set when nothing else happens. */
const CHECK_MS = 10_000;
/** How soon to try again while the router does not answer or refused a request. */
const RETRY_MS = 2_000;

const BRIDGE_ATTRIBUTES = ['name', 'host', 'port', 'address'];

export class BridgeReconciler implements Reconciler {
  readonly kind = 'Bridges';
  /** The last problem logged per bridge, so a refusal that repeats is logged once. */
  private readonly refused = new Map<string, string>();

  constructor(private readonly deps: ServiceControllerDeps) {}

  /** The bridges the caches want now. */
  desired(): Entity[] {
    const { caches, settings } = this.deps.ctx;
    const namespace = settings.namespace;
    const plans = planListeners(caches.listeners.list(namespace), caches.services.list(namespace));
    const pods = caches.pods.list(namespace);
    const connectors: ConnectorTargets[] = caches.connectors
      .list(namespace)
      .filter((c) => c.metadata.deletionTimestamp === undefined && connectorProblem(c) === undefined)
      .map((connector) => ({ connector, pods: selectedPods(connector, pods) }));
    return desiredBridges(plans.values(), connectors);
  }

  async reconcile(_key: ObjectKey): Promise<ReconcileResult | undefined> {
    const desired = this.desired();
    let mgmt: AmqpManagement;
    try {
      mgmt = await this.deps.router.get();
    } catch {
      // The router connection logs its state; it enqueues this key again once it is made.
      return { requeueAfterMs: RETRY_MS };
    }
    try {
      const actual: Entity[] = [];
      for (const type of BridgeTypes) {
        for (const row of await mgmt.query(type, BRIDGE_ATTRIBUTES)) actual.push({ type, name: String(row.name), attributes: row });
      }
      const plan = planSync({ desired, actual });
      let failures = 0;
      for (const ref of plan.deletes) failures += await this.send(ref, 'deleted', () => mgmt.delete(ref.type, ref.name));
      for (const entity of plan.creates) failures += await this.send(entity, 'created', () => mgmt.create(entity.type, entity.attributes));
      return { requeueAfterMs: failures > 0 ? RETRY_MS : CHECK_MS };
    } catch (error) {
      if (!(error instanceof ManagementError)) throw error;
      this.deps.router.lost(error.message);
      return { requeueAfterMs: RETRY_MS };
    }
  }

  /** Runs one request; 1 when the router refused it (logged once), 0 when it was done. */
  private async send(ref: EntityRef, done: string, request: () => Promise<void>): Promise<number> {
    const key = `${ref.type} ${ref.name}`;
    try {
      await request();
      this.deps.ctx.log(`${key}: ${done}`);
      this.refused.delete(key);
      return 0;
    } catch (error) {
      if (!(error instanceof ManagementError) || error.code !== ManagementErrorCode.SKIFF_ERR_MANAGEMENT_REFUSED) throw error;
      if (done === 'deleted' && error.status === 404) return 0;
      const problem = `${key} not ${done}: ${error.message}`;
      if (this.refused.get(key) !== problem) this.deps.ctx.log(problem);
      this.refused.set(key, problem);
      return 1;
    }
  }
}
