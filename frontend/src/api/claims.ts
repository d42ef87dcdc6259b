/**
 * Claims: the lists (filtered list, queues, "checked before?" search), one claim with
 * its history, comments and similar claims, creating and deleting one, its workflow
 * transitions and its reviewers. Sources and the verdict are in `evidence.ts`.
 */
import {
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import { articleKeys } from './articles';
import type { Callbacks } from './callbacks';
import { api, ifMatch, unwrap, type Claim, type Schemas } from './client';
import type { operations } from './schema';

/**
 * Every claim key starts with `['claims']`. Everything `GET /claims` answers is under
 * `lists()`; one claim and what is read with it (history, comments, similar claims)
 * under `detail(id)`, so refreshing a claim refreshes all of its parts.
 */
export const claimKeys = {
  all: ['claims'] as const,
  lists: () => [...claimKeys.all, 'list'] as const,
  list: (filters: ClaimListFilters) => [...claimKeys.lists(), filters] as const,
  /** A queue: the desk's (editors) or the signed-in reviewer's, of some statuses. */
  queue: (scope: 'desk' | 'me', status: string) => [...claimKeys.lists(), 'queue', scope, status] as const,
  /** Earlier claims whose statement reads like `text`. */
  similarTo: (text: string) => [...claimKeys.lists(), 'similar_to', text] as const,
  details: () => [...claimKeys.all, 'detail'] as const,
  detail: (id: string) => [...claimKeys.details(), id] as const,
  history: (id: string) => [...claimKeys.detail(id), 'history'] as const,
  comments: (id: string) => [...claimKeys.detail(id), 'comments'] as const,
  similar: (id: string) => [...claimKeys.detail(id), 'similar'] as const,
  /** The claim a message is about (its own entry, refreshed with the claim). */
  subject: (id: string) => [...claimKeys.detail(id), 'message-subject'] as const,
};

/** What a change to a claim makes stale: the claim and its parts, the claim lists and (when known) its article. */
export const claimChangedKeys = (id: string, articleId?: string): QueryKey[] => [
  claimKeys.detail(id),
  claimKeys.lists(),
  ...(articleId ? [articleKeys.detail(articleId)] : []),
];

/** What a new claim makes stale: its article, the article's suggestions (one may be covered now), the claim lists. */
export const claimCreatedKeys = (articleId: string): QueryKey[] => [
  articleKeys.detail(articleId),
  articleKeys.suggestions(articleId),
  claimKeys.lists(),
];

/** What deleting a claim makes stale: the claim lists, its article and the article lists (claim counts). */
export const claimDeletedKeys = (articleId: string): QueryKey[] => [
  claimKeys.lists(),
  articleKeys.detail(articleId),
  articleKeys.lists(),
];

/** Marks every query under each key stale, refetching those on screen; resolves when they are back. */
export const invalidateAll = (client: QueryClient, keys: QueryKey[]) =>
  Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));

/** The claims list's filters as the address keeps them; empty strings are left out. */
export type ClaimListFilters = Record<'status' | 'assignee' | 'article_id' | 'rating' | 'q' | 'overdue', string>;

type ClaimQuery = operations['list_claims']['parameters']['query'];
type CreateClaimRequest = Schemas['CreateClaimRequest'];
type AssignRequest = Schemas['AssignRequest'];
export type UpdateClaimRequest = Schemas['UpdateClaimRequest'];
type TransitionAction = Schemas['TransitionAction'];
export interface TransitionVars<A extends TransitionAction = TransitionAction> {
  action: A;
  comment?: string;
  /** Approving a claim with independent reviews: whose proposal becomes the verdict. */
  review_id?: string;
  /** Sending back a claim with independent reviews: whose proposals go back (all when left out). */
  reviewer_ids?: string[];
}

export const listClaims = (query: ClaimQuery) => unwrap(api.GET('/api/v1/claims', { params: { query } }));
export const getClaim = (id: string) => unwrap(api.GET('/api/v1/claims/{id}', { params: { path: { id } } }));
export const deleteClaim = (id: string) => unwrap(api.DELETE('/api/v1/claims/{id}', { params: { path: { id } } }));
export const createClaim = (articleId: string, body: CreateClaimRequest) =>
  unwrap(api.POST('/api/v1/articles/{id}/claims', { params: { path: { id: articleId } }, body }));
export const claimHistory = (id: string) =>
  unwrap(api.GET('/api/v1/claims/{id}/history', { params: { path: { id } } }));
export const claimComments = (id: string) =>
  unwrap(api.GET('/api/v1/claims/{id}/comments', { params: { path: { id } } }));
export const postComment = (id: string, body: string) =>
  unwrap(api.POST('/api/v1/claims/{id}/comments', { params: { path: { id } }, body: { body } }));
export const similarClaims = (id: string) =>
  unwrap(api.GET('/api/v1/claims/{id}/similar', { params: { path: { id } } }));
export const transitionClaim = (id: string, { action, comment, review_id, reviewer_ids }: TransitionVars) =>
  unwrap(
    api.POST('/api/v1/claims/{id}/transitions', {
      params: { path: { id } },
      body: { action, comment: comment ?? null, review_id: review_id ?? null, reviewer_ids: reviewer_ids ?? null },
    }),
  );
export const updateClaim = (id: string, version: number, body: UpdateClaimRequest) =>
  unwrap(api.PATCH('/api/v1/claims/{id}', { params: { path: { id }, header: ifMatch(version) }, body }));
export type BulkRequest = Schemas['BulkRequest'];
export const bulkClaims = (body: BulkRequest) => unwrap(api.POST('/api/v1/claims/bulk', { body }));
/** The answer as the client reads it (each claim's outcome, in the order asked). */
export type BulkAnswer = Awaited<ReturnType<typeof bulkClaims>>;
export const assignReviewer = (id: string, body: AssignRequest) =>
  unwrap(api.POST('/api/v1/claims/{id}/assignments', { params: { path: { id } }, body }));
export const unassignReviewer = (id: string, userId: string) =>
  unwrap(api.DELETE('/api/v1/claims/{id}/assignments/{user_id}', { params: { path: { id, user_id: userId } } }));

/* ---------------------------------------------------------------- queries */

export const claimQuery = (id: string) => queryOptions({ queryKey: claimKeys.detail(id), queryFn: () => getClaim(id) });
export const historyQuery = (id: string) =>
  queryOptions({ queryKey: claimKeys.history(id), queryFn: () => claimHistory(id) });
export const commentsQuery = (id: string) =>
  queryOptions({ queryKey: claimKeys.comments(id), queryFn: () => claimComments(id) });

export function useClaim(id: string) {
  return useQuery({ ...claimQuery(id), enabled: Boolean(id) });
}

/** The claim a message is about, when there is one. */
export function useClaimSubject(id: string | null) {
  return useQuery({
    queryKey: claimKeys.subject(id ?? ''),
    queryFn: () => getClaim(id ?? ''),
    enabled: Boolean(id),
  });
}

/** Fetches the claim now, whatever the cache holds, and stores it. */
export function useFetchClaim() {
  const client = useQueryClient();
  return useCallback((id: string) => client.fetchQuery({ ...claimQuery(id), staleTime: 0 }), [client]);
}

export const useClaimHistory = (id: string) => useQuery(historyQuery(id));
export const useClaimComments = (id: string) => useQuery(commentsQuery(id));
export const useSimilarClaims = (id: string) =>
  useQuery({ queryKey: claimKeys.similar(id), queryFn: () => similarClaims(id) });

const nextCursor = (last: { next_cursor?: string | null }) => last.next_cursor ?? undefined;

/** The claims list with the address's filters, 50 a page. */
export function useClaimList(filters: ClaimListFilters) {
  return useInfiniteQuery({
    queryKey: claimKeys.list(filters),
    queryFn: ({ pageParam }) =>
      listClaims({
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.assignee ? { assignee: filters.assignee } : {}),
        ...(filters.article_id ? { article_id: filters.article_id } : {}),
        ...(filters.rating ? { rating: filters.rating } : {}),
        ...(filters.q ? { q: filters.q } : {}),
        ...(filters.overdue ? { overdue: filters.overdue === 'true' } : {}),
        limit: 50,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: '',
    getNextPageParam: nextCursor,
  });
}

/** A queue of claims in `status` (comma-separated): the desk's, or the signed-in reviewer's. */
export function useClaimQueue(scope: 'desk' | 'me', status: string) {
  return useInfiniteQuery({
    queryKey: claimKeys.queue(scope, status),
    queryFn: ({ pageParam }) =>
      listClaims({
        status,
        ...(scope === 'desk' ? {} : { assignee: 'me' }),
        limit: 50,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: '',
    getNextPageParam: nextCursor,
  });
}

/** Earlier claims like `text`, once it is long enough (8 characters) to compare. */
export function useSimilarTo(text: string) {
  return useQuery({
    queryKey: claimKeys.similarTo(text),
    queryFn: () => unwrap(api.GET('/api/v1/claims/similar', { params: { query: { text } } })),
    enabled: text.length >= 8,
  });
}

/* ---------------------------------------------------------------- mutations */

/**
 * After a change to a claim: store the claim the server answered with (if any), then
 * refetch the claim and everything under it (comments, history), the claim lists, and
 * (when the answer says which) the article that holds it.
 */
export function useRefreshClaim(id: string) {
  const client = useQueryClient();
  return useCallback(
    async (claim?: Claim) => {
      if (claim) client.setQueryData(claimKeys.detail(id), claim);
      await invalidateAll(client, claimChangedKeys(id, claim?.article_id));
    },
    [client, id],
  );
}

/**
 * A claim mutation whose answer is the claim: `onSuccess` runs first, then the claim is
 * refreshed (the mutation stays pending until that is done); a failure refreshes the
 * claim too, when `refreshOnError`, after `onError`.
 */
function useClaimMutation<TVars>(
  id: string,
  mutationFn: (vars: TVars) => Promise<Claim>,
  callbacks: Callbacks<Claim, TVars>,
  refreshOnError: boolean,
) {
  const refresh = useRefreshClaim(id);
  return useMutation({
    mutationFn,
    onSuccess: async (claim, vars) => {
      await callbacks.onSuccess?.(claim, vars);
      await refresh(claim);
    },
    onError: async (error, vars) => {
      await callbacks.onError?.(error, vars);
      if (refreshOnError) await refresh();
    },
  });
}

/** A workflow transition; the claim is refreshed after it, and after a refusal (409) too. */
export function useTransitionClaim<A extends TransitionAction>(id: string, callbacks: Callbacks<Claim, TransitionVars<A>> = {}) {
  return useClaimMutation(id, (v: TransitionVars<A>) => transitionClaim(id, v), callbacks, true);
}

/** A bulk action; afterwards every claim list and each claim it touched are refetched. */
export function useBulkClaims(callbacks: Callbacks<BulkAnswer, BulkRequest> = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: bulkClaims,
    onSuccess: async (answer, vars) => {
      await callbacks.onSuccess?.(answer, vars);
      await invalidateAll(client, vars.claim_ids.flatMap((id) => claimChangedKeys(id)));
    },
  });
}

/** Edits the claim over `version` (If-Match); a 412 carries the claim as it is now. */
export function useUpdateClaim(id: string, callbacks: Callbacks<Claim, { version: number; body: UpdateClaimRequest }> = {}) {
  return useClaimMutation(id, ({ version, body }: { version: number; body: UpdateClaimRequest }) => updateClaim(id, version, body), callbacks, false);
}

export function useAssignReviewer(id: string, callbacks: Callbacks<Claim, AssignRequest> = {}) {
  return useClaimMutation(id, (body: AssignRequest) => assignReviewer(id, body), callbacks, false);
}

/** Unassigns the reviewer with this user id; the claim is refreshed after a failure too. */
export function useUnassignReviewer(id: string, callbacks: Callbacks<Claim, string> = {}) {
  return useClaimMutation(id, (userId: string) => unassignReviewer(id, userId), callbacks, true);
}

/** Posts a comment; `onSuccess` runs, then the claim and its comments are refreshed. */
export function usePostComment(id: string, callbacks: Callbacks<unknown, string> = {}) {
  const refresh = useRefreshClaim(id);
  return useMutation({
    mutationFn: (body: string) => postComment(id, body),
    onSuccess: async (comment, body) => {
      await callbacks.onSuccess?.(comment, body);
      await refresh();
    },
  });
}

/**
 * Deletes a draft claim: it leaves the cache, the claim lists, its article and the
 * article lists are refreshed (awaited), then `onSuccess` runs. A failure refreshes the claim.
 */
export function useDeleteClaim(claim: Pick<Claim, 'id' | 'article_id'>, callbacks: Callbacks<unknown, void> = {}) {
  const client = useQueryClient();
  const refresh = useRefreshClaim(claim.id);
  return useMutation({
    mutationFn: () => deleteClaim(claim.id),
    onSuccess: async (data) => {
      client.removeQueries({ queryKey: claimKeys.detail(claim.id) });
      await invalidateAll(client, claimDeletedKeys(claim.article_id));
      await callbacks.onSuccess?.(data, undefined);
    },
    onError: () => refresh(),
  });
}

/**
 * Creates a claim in an article. Its article, the article's suggestions and the claim
 * lists are refreshed (not awaited), then `onSuccess` runs.
 */
export function useCreateClaim(articleId: string, callbacks: Callbacks<Claim, CreateClaimRequest> = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateClaimRequest) => createClaim(articleId, body),
    onSuccess: (claim, body) => {
      void invalidateAll(client, claimCreatedKeys(articleId));
      return callbacks.onSuccess?.(claim, body);
    },
  });
}
