/**
 * A claim's evidence: its sources and its verdict. They are part of the claim (`GET
 * /claims/{id}` sends them), so their keys are the claim's and every change refreshes it.
 */
import { useMutation } from '@tanstack/react-query';
import type { Callbacks } from './callbacks';
import { useRefreshClaim } from './claims';
import { api, ApiError, ifMatch, unwrap, type Claim, type Schemas, type Source } from './client';

type NewSourceRequest = Schemas['NewSourceRequest'];
type SourceRequest = Schemas['SourceRequest'];
type VerdictRequest = Schemas['VerdictRequest'];

export const addSource = (claimId: string, body: NewSourceRequest) =>
  unwrap(api.POST('/api/v1/claims/{id}/sources', { params: { path: { id: claimId } }, body }));
export const updateSource = (claimId: string, sourceId: string, version: number, body: SourceRequest) =>
  unwrap(
    api.PATCH('/api/v1/claims/{id}/sources/{source_id}', {
      params: { path: { id: claimId, source_id: sourceId }, header: ifMatch(version) },
      body,
    }),
  );
export const removeSource = (claimId: string, sourceId: string) =>
  unwrap(api.DELETE('/api/v1/claims/{id}/sources/{source_id}', { params: { path: { id: claimId, source_id: sourceId } } }));
/** Saves the shared draft verdict; `version` is the draft's (none when there is no draft yet). */
export const saveVerdict = (claimId: string, version: number | undefined, body: VerdictRequest) =>
  unwrap(
    api.PUT('/api/v1/claims/{id}/verdict', {
      params: { path: { id: claimId }, header: version === undefined ? undefined : ifMatch(version) },
      body,
    }),
  );

/** Adding a source (`add`), or changing one with `If-Match: version`. */
export type SaveSourceVars =
  | { op: 'add'; body: NewSourceRequest }
  | { op: 'edit'; sourceId: string; version: number; body: SourceRequest };

const isConflict = (e: unknown) => e instanceof ApiError && e.status === 412;

/**
 * Adds or edits a source. After `onSuccess` the claim is refreshed (awaited). A failure
 * other than a version conflict (412) refreshes the claim in the background.
 */
export function useSaveSource(claimId: string, callbacks: Callbacks<Source, SaveSourceVars> = {}) {
  const refresh = useRefreshClaim(claimId);
  return useMutation({
    mutationFn: (v: SaveSourceVars) =>
      v.op === 'add' ? addSource(claimId, v.body) : updateSource(claimId, v.sourceId, v.version, v.body),
    onSuccess: async (saved, vars) => {
      await callbacks.onSuccess?.(saved, vars);
      await refresh();
    },
    onError: (error, vars) => {
      if (!isConflict(error)) void refresh();
      return callbacks.onError?.(error, vars);
    },
  });
}

/** Removes a source; the claim is refreshed after `onSuccess`, and after a failure. */
export function useRemoveSource(claimId: string, sourceId: string, callbacks: Callbacks<unknown, void> = {}) {
  const refresh = useRefreshClaim(claimId);
  return useMutation({
    mutationFn: () => removeSource(claimId, sourceId),
    onSuccess: async (data) => {
      await callbacks.onSuccess?.(data, undefined);
      await refresh();
    },
    onError: () => refresh(),
  });
}

export interface SaveVerdictVars {
  /** The draft the edit started from (its version goes in `If-Match`), or null for a new draft. */
  over: { version: number } | null;
  body: VerdictRequest;
}

/**
 * Saves the draft verdict. After `onSuccess` the claim is refreshed with the answer
 * (awaited). A failure runs `onError` first (awaited); then, unless it was a version
 * conflict (412) or a missing `If-Match` (428), which the form resolves itself, the
 * claim is refreshed.
 */
export function useSaveVerdict(claimId: string, callbacks: Callbacks<Claim, SaveVerdictVars> = {}) {
  const refresh = useRefreshClaim(claimId);
  return useMutation({
    mutationFn: ({ over, body }: SaveVerdictVars) => saveVerdict(claimId, over?.version, body),
    onMutate: (vars) => {
      callbacks.onMutate?.(vars);
    },
    onSuccess: async (claim, vars) => {
      await callbacks.onSuccess?.(claim, vars);
      await refresh(claim);
    },
    onError: async (error, vars) => {
      await callbacks.onError?.(error, vars);
      if (!(error instanceof ApiError && (error.status === 412 || error.status === 428))) await refresh();
    },
  });
}
