/** Independent reviews on the client: which proposal of each reviewer is current, and whether they disagree. */
import type { Review } from '../api/reviews';

/** Each reviewer's latest proposal (the list comes oldest first), in the order reviewers first proposed. */
export function currentProposals(reviews: readonly Review[]): Review[] {
  const latest = new Map<string, Review>();
  for (const r of reviews) latest.set(r.reviewer_id, r);
  return [...latest.values()];
}

/** Whether the proposals in (submitted, or decided) give more than one rating. */
export function ratingsDiffer(proposals: readonly Review[]): boolean {
  const ratings = new Set(
    proposals.filter((p) => p.state !== 'draft' && p.state !== 'returned' && p.rating).map((p) => p.rating),
  );
  return ratings.size > 1;
}
