/**
 * Pure helpers for the publish screen. What publishing would do is the server's
 * (`publish_plan` on the article); these only read its answers.
 */

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
