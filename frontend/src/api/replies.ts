/**
 * The right of reply: the attempts to reach a claim's claimant for comment. They are
 * read with the claim (their key is under the claim's), so refreshing a claim refreshes them.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Callbacks } from './callbacks';
import { claimKeys } from './claims';
import { api, ApiError, unwrap, type Schemas } from './client';

export type Reply = Schemas['RightOfReplyView'];
export type ReplyRequest = Schemas['RightOfReplyRequest'];
export type ReplyChannel = Schemas['ReplyChannel'];

export const REPLY_CHANNELS: ReplyChannel[] = ['email', 'phone', 'message', 'social', 'in_person', 'letter', 'other'];

export const replyKeys = {
  of: (claimId: string) => [...claimKeys.detail(claimId), 'replies'] as const,
};

export const listReplies = (claimId: string) =>
  unwrap(api.GET('/api/v1/claims/{id}/replies', { params: { path: { id: claimId } } }));
export const createReply = (claimId: string, body: ReplyRequest) =>
  unwrap(api.POST('/api/v1/claims/{id}/replies', { params: { path: { id: claimId } }, body }));
export const updateReply = (claimId: string, replyId: string, body: ReplyRequest) =>
  unwrap(
    api.PATCH('/api/v1/claims/{id}/replies/{reply_id}', {
      params: { path: { id: claimId, reply_id: replyId } },
      body,
    }),
  );

export const useReplies = (claimId: string) =>
  useQuery({ queryKey: replyKeys.of(claimId), queryFn: () => listReplies(claimId) });

/** Logging an attempt (`add`), or changing one at `body.version`. */
export type SaveReplyVars = { op: 'add'; body: ReplyRequest } | { op: 'edit'; replyId: string; body: ReplyRequest };

/** Saves an attempt; the list (and the claim's history) is refreshed after, and after a failure other than 412. */
export function useSaveReply(claimId: string, callbacks: Callbacks<Reply, SaveReplyVars> = {}) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: claimKeys.detail(claimId) });
  return useMutation({
    mutationFn: (v: SaveReplyVars) =>
      v.op === 'add' ? createReply(claimId, v.body) : updateReply(claimId, v.replyId, v.body),
    onSuccess: async (saved, vars) => {
      await callbacks.onSuccess?.(saved, vars);
      await refresh();
    },
    onError: (error, vars) => {
      if (!(error instanceof ApiError && error.status === 412)) void refresh();
      return callbacks.onError?.(error, vars);
    },
  });
}
