/** Pure helpers for the publish screen. */
import type { Claim } from '../api/client';

export interface PublishPlan {
  /** Approved now: published with their approved verdict. */
  approved: Claim[];
  /** Published before: stay public with the verdict they were published with. */
  published: Claim[];
  /** Neither approved nor published (and not dropped): block publication. */
  blocking: Claim[];
  dropped: Claim[];
}

export function publishPlan(claims: Claim[]): PublishPlan {
  const plan: PublishPlan = { approved: [], published: [], blocking: [], dropped: [] };
  for (const c of claims) {
    if (c.status === 'approved') plan.approved.push(c);
    else if (c.status === 'published') plan.published.push(c);
    else if (c.status === 'dropped') plan.dropped.push(c);
    else plan.blocking.push(c);
  }
  return plan;
}

/**
 * The claim id a publish 422 names: the server reports blockers as `claims[<uuid>]`.
 * Null for other fields.
 */
export function blockedClaimId(field: string): string | null {
  const m = /^claims\[([0-9a-f-]{36})\]$/i.exec(field);
  return m?.[1] ?? null;
}

/** The app-relative address of a public page. */
export function publicPath(slug: string): string {
  return `/p/${encodeURIComponent(slug)}`;
}
