/** What the claim page's parts share: query keys and how a mutation refreshes the claim. */
import { queryOptions, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, unwrap, type Claim } from '../../api/client';

/** The claim; its comments, history and similar claims live under it, so one invalidation refreshes all. */
export const claimKey = (id: string) => ['claim', id] as const;
export const claimPartKey = (id: string, part: 'comments' | 'history' | 'similar') =>
  ['claim', id, part] as const;

export const historyQuery = (id: string) =>
  queryOptions({
    queryKey: claimPartKey(id, 'history'),
    queryFn: () => unwrap(api.GET('/api/v1/claims/{id}/history', { params: { path: { id } } })),
  });

export const commentsQuery = (id: string) =>
  queryOptions({
    queryKey: claimPartKey(id, 'comments'),
    queryFn: () => unwrap(api.GET('/api/v1/claims/{id}/comments', { params: { path: { id } } })),
  });

/** Says something in the page's status region (role="status"). */
export type Announce = (message: string) => void;

/**
 * After a mutation: store the claim the server answered with (if any), then refetch the
 * claim and everything under it (comments, history) and the claim lists elsewhere.
 */
export function useRefreshClaim(id: string) {
  const client = useQueryClient();
  return useCallback(
    async (claim?: Claim) => {
      if (claim) client.setQueryData(claimKey(id), claim);
      await Promise.all([
        client.invalidateQueries({ queryKey: claimKey(id) }),
        client.invalidateQueries({ queryKey: ['claims'] }),
        claim ? client.invalidateQueries({ queryKey: ['article', claim.article_id] }) : null,
      ]);
    },
    [client, id],
  );
}
