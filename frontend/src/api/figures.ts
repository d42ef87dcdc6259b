/**
 * A numeric claim's figures: the claimed one is part of the claim (`PATCH /claims/{id}`
 * with `figure`), the checked one has its own route so a reviewer can record it. Both
 * come back in the claim, so every change refreshes it.
 */
import { useMutation } from '@tanstack/react-query';
import type { Callbacks } from './callbacks';
import { useRefreshClaim } from './claims';
import { api, ifMatch, unwrap, type Claim, type Schemas } from './client';

export type ClaimedFigure = Schemas['ClaimedFigure'];
export type CheckedFigureRequest = Schemas['CheckedFigureRequest'];

export const setCheckedFigure = (claimId: string, version: number, body: CheckedFigureRequest) =>
  unwrap(
    api.PUT('/api/v1/claims/{id}/figure/checked', {
      params: { path: { id: claimId }, header: ifMatch(version) },
      body,
    }),
  );
export const clearCheckedFigure = (claimId: string, version: number) =>
  unwrap(
    api.DELETE('/api/v1/claims/{id}/figure/checked', {
      params: { path: { id: claimId }, header: ifMatch(version) },
    }),
  );
export const setClaimedFigure = (claimId: string, version: number, claimed: ClaimedFigure | null) =>
  unwrap(
    api.PATCH('/api/v1/claims/{id}', {
      params: { path: { id: claimId }, header: ifMatch(version) },
      body: { figure: claimed ? { claimed } : null },
    }),
  );

/** What a figure form sends: the claimed figure (or none), or the checked one (or none). */
export type FigureVars =
  | { part: 'claimed'; version: number; claimed: ClaimedFigure | null }
  | { part: 'checked'; version: number; checked: CheckedFigureRequest | null };

/** Saves one part of a claim's figure; the claim is refreshed after, and after a failure. */
export function useSaveFigure(claimId: string, callbacks: Callbacks<Claim, FigureVars> = {}) {
  const refresh = useRefreshClaim(claimId);
  return useMutation({
    mutationFn: (v: FigureVars) =>
      v.part === 'claimed'
        ? setClaimedFigure(claimId, v.version, v.claimed)
        : v.checked
          ? setCheckedFigure(claimId, v.version, v.checked)
          : clearCheckedFigure(claimId, v.version),
    onSuccess: async (saved, vars) => {
      await callbacks.onSuccess?.(saved, vars);
      await refresh(saved);
    },
    // After a 412 too: the form keeps what was typed and can save it over the new version.
    onError: (error, vars) => {
      void refresh();
      return callbacks.onError?.(error, vars);
    },
  });
}
