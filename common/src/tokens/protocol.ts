/**
 * The redemption protocol both servers speak (reference §2.3 for v1 claims, §7.3 for v2 grants):
 * `POST <url>` with the code as body and who redeems in headers; the texts of the refusals.
 */
export const RedeemHeader = {
  /** Name the redeemer gives the Secret and Link it makes (v2). */
  name: 'name',
  /** Site id of the redeemer: the client certificate's common name (v2). */
  subject: 'subject',
  /** The same for v1 claims servers. */
  siteName: 'skupper-site-name',
} as const;

/** What a server answers when it refuses (the body of a 403/404/503). */
export const GrantAnswer = {
  /** 404: unknown grant or claim; also an expired v2 grant. */
  notFound: 'No such claim',
  /** 404: every redemption the grant allows has been made (v2). */
  usedUp: 'No such access granted',
  /** 403: wrong code (v2). */
  refused: 'Redemption of access token refused',
  /** Skiff's local claims server (v1 shape) says why a claim is gone. */
  claimExpired: 'Claim expired',
  claimUsedUp: 'Claim used up',
  claimRefused: 'Claim refused',
} as const;
export type GrantAnswer = (typeof GrantAnswer)[keyof typeof GrantAnswer];
