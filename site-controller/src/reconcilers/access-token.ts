/**
 * AccessToken reconciler: redeems the token once at the issuing site's grant server (subject = this
 * Site's uid), then makes the Secret and Link(s) it answered with. A refusal (bad code, expired, used
 * up) is terminal and said in status; an unreachable server is retried with backoff. A redemption
 * is never repeated: its answer is held here until its objects exist and `redeemed` is written.
 */
import { redeemAccessToken, type RedeemOptions } from '../../../common/src/tokens/redeem.js';
import type { Redeemed } from '../../../common/src/tokens/redeem-answer.js';
import { TokenError, TokenErrorCode } from '../../../common/src/tokens/errors.js';
import { ConditionType, type AccessToken, type AccessTokenSpec } from '../../../common/src/kube-api/types.js';
import { Reason } from '../desired/conditions.js';
import { redeemedObjects } from '../desired/redeemed-objects.js';
import { configuringSite } from '../desired/site-choice.js';
import { tokenStatus, type TokenOutcome } from '../desired/token-status.js';
import type { ControllerContext } from '../runtime/context.js';
import { TerminalError, type ObjectKey, type ReconcileResult, type Reconciler } from '../runtime/reconciler.js';
import type { KubeWriter } from './kube-writer.js';

export type Redeem = (spec: Pick<AccessTokenSpec, 'url' | 'code' | 'ca'>, options: RedeemOptions) => Promise<Redeemed>;

/** Refusals a retry cannot change: the token must be replaced. */
const TERMINAL: ReadonlySet<string> = new Set([TokenErrorCode.invalid, TokenErrorCode.notFound, TokenErrorCode.expired, TokenErrorCode.usedUp, TokenErrorCode.refused]);

/** A refusal stands until the token's spec changes (a new generation): no retry storm on resyncs. */
function refusedAlready(token: AccessToken): boolean {
  const redeemed = token.status?.conditions?.find((c) => c.type === ConditionType.Redeemed);
  return redeemed?.status === 'False' && redeemed.reason === Reason.error && redeemed.observedGeneration === (token.metadata.generation ?? 0);
}

export class AccessTokenReconciler implements Reconciler {
  readonly kind = 'AccessToken';
  /** Answers by token uid, kept until the token's objects exist and its status says redeemed. */
  private readonly answers = new Map<string, Redeemed>();
  /** Tokens redeemed here: never touched again, even if a stale cache still shows them unredeemed. */
  private readonly redeemed = new Set<string>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly writer: KubeWriter,
    private readonly redeem: Redeem = redeemAccessToken,
  ) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult | undefined> {
    const token = this.ctx.caches.accessTokens.get(key.namespace, key.name);
    const uid = token?.metadata.uid ?? key.name;
    if (token === undefined || token.metadata.deletionTimestamp !== undefined || token.status?.redeemed === true || this.redeemed.has(uid)) {
      this.forget();
      return undefined;
    }
    if (refusedAlready(token)) return undefined;
    const site = configuringSite(this.ctx.caches.sites.list(key.namespace));
    if (site?.metadata.uid === undefined) {
      return this.report(token, { kind: 'waiting', message: `no Site in namespace ${key.namespace}: create one (skiff init); the token is redeemed then` });
    }
    let answer = this.answers.get(uid);
    if (answer === undefined) {
      answer = await this.redeemOnce(token, site.metadata.uid);
      this.answers.set(uid, answer);
    }
    const objects = redeemedObjects(token, site.metadata.name, answer);
    await this.writer.apply(objects.secret);
    for (const link of objects.links) await this.writer.apply(link);
    await this.report(token, { kind: 'redeemed' });
    this.redeemed.add(uid);
    this.answers.delete(uid);
    return undefined;
  }

  private async redeemOnce(token: AccessToken, subject: string): Promise<Redeemed> {
    const spec = token.spec;
    if (spec === undefined) return this.refuse(token, 'spec is missing: apply the AccessToken file as it was written');
    try {
      return await this.redeem(spec, { name: token.metadata.name, subject });
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      const message = `${error.message}: ${error.hint}`;
      if (TERMINAL.has(error.code)) return this.refuse(token, message);
      await this.report(token, { kind: 'waiting', message: `${message} (retrying)` });
      throw error;
    }
  }

  private async refuse(token: AccessToken, message: string): Promise<never> {
    await this.report(token, { kind: 'refused', message });
    throw new TerminalError(`AccessToken ${token.metadata.namespace ?? ''}/${token.metadata.name}: ${message}`);
  }

  private async report(token: AccessToken, outcome: TokenOutcome): Promise<undefined> {
    await this.writer.applyStatus('AccessToken', token, tokenStatus(token, outcome, new Date()));
    return undefined;
  }

  /** Drops what is held for tokens that are gone or whose status says redeemed. */
  private forget(): void {
    const tokens = this.ctx.caches.accessTokens.list();
    const open = new Set(tokens.filter((t) => t.status?.redeemed !== true).map((t) => t.metadata.uid));
    for (const uid of this.answers.keys()) if (!open.has(uid)) this.answers.delete(uid);
    const present = new Set(tokens.map((t) => t.metadata.uid));
    for (const uid of this.redeemed) if (!present.has(uid)) this.redeemed.delete(uid);
  }
}
