/**
 * Independent reviews: each reviewer's own proposal on a claim that asks for them. The
 * list is read with the claim (its key is under the claim's), so refreshing a claim
 * refreshes it; submitting is the claim's `submit` and answers the claim.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Callbacks } from './callbacks';
import { claimKeys, useRefreshClaim } from './claims';
import { api, ifMatch, unwrap, type Claim, type Schemas } from './client';

export type Review = Schemas['ReviewView'];
export type ReviewList = Schemas['ReviewList'];
type VerdictRequest = Schemas['VerdictRequest'];

export const reviewKeys = {
  of: (claimId: string) => [...claimKeys.detail(claimId), 'reviews'] as const,
};

export const listReviews = (claimId: string) =>
  unwrap(api.GET('/api/v1/claims/{id}/reviews', { params: { path: { id: claimId } } }));
/** Saves the caller's proposal; `version` is their draft's (none when there is none yet). */
export const saveMyReview = (claimId: string, version: number | undefined, body: VerdictRequest) =>
  unwrap(
    api.PUT('/api/v1/claims/{id}/reviews/me', {
      params: { path: { id: claimId }, header: version === undefined ? undefined : ifMatch(version) },
      body,
    }),
  );
export const submitMyReview = (claimId: string) =>
  unwrap(api.POST('/api/v1/claims/{id}/reviews/me/submit', { params: { path: { id: claimId } } }));

export const useReviews = (claimId: string, enabled = true) =>
  useQuery({ queryKey: reviewKeys.of(claimId), queryFn: () => listReviews(claimId), enabled });

/** Saves the caller's proposal; the claim (and the list) is refreshed after, and after a failure. */
export function useSaveMyReview(
  claimId: string,
  callbacks: Callbacks<Review, { version?: number; body: VerdictRequest }> = {},
) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: claimKeys.detail(claimId) });
  return useMutation({
    mutationFn: (v: { version?: number; body: VerdictRequest }) => saveMyReview(claimId, v.version, v.body),
    onSuccess: async (saved, vars) => {
      await callbacks.onSuccess?.(saved, vars);
      await refresh();
    },
    onError: (error, vars) => {
      void refresh();
      return callbacks.onError?.(error, vars);
    },
  });
}

/** Submits the caller's proposal; the claim comes back and is refreshed. */
export function useSubmitMyReview(claimId: string, callbacks: Callbacks<Claim, void> = {}) {
  const refresh = useRefreshClaim(claimId);
  return useMutation({
    mutationFn: () => submitMyReview(claimId),
    onSuccess: async (claim, vars) => {
      await callbacks.onSuccess?.(claim, vars);
      await refresh(claim);
    },
    onError: (error, vars) => {
      void refresh();
      return callbacks.onError?.(error, vars);
    },
  });
}
