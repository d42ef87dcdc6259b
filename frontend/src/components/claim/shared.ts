/** What the claim page's parts share. Their data and its refreshing are in `api/claims.ts`. */

/** Says something in the page's status region (role="status"). */
export type Announce = (message: string) => void;
