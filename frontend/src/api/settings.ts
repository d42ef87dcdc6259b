/**
 * The desk's configuration and figures: the rating scale, the newsroom settings and
 * the dashboard's statistics.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Callbacks } from './callbacks';
import { api, ifMatch, unwrap, type Rating, type Schemas } from './client';

/**
 * The rating scale, as everyone reads it and (with its ETag) as the editor holds it;
 * both under `['rating-scale']`, so refreshing the scale refreshes both.
 */
export const ratingScaleKeys = {
  all: ['rating-scale'] as const,
  scale: () => [...ratingScaleKeys.all, 'scale'] as const,
  withEtag: () => [...ratingScaleKeys.all, 'with-etag'] as const,
};

export const settingsKeys = {
  all: ['settings'] as const,
  newsroom: () => [...settingsKeys.all, 'newsroom'] as const,
};

export const statsKeys = {
  all: ['stats'] as const,
  desk: () => [...statsKeys.all, 'desk'] as const,
  agreement: (from: string, to: string) => [...statsKeys.all, 'agreement', from, to] as const,
};

export type Settings = Schemas['NewsroomSettings'];
type SettingsRequest = Schemas['SettingsRequest'];

/** The scale and the ETag it came with (the fingerprint `If-Match` must repeat). */
export interface ScaleWithTag {
  scale: Rating[];
  etag: string | null;
}

export const getRatingScale = () => unwrap(api.GET('/api/v1/rating-scale'));

export async function getRatingScaleWithEtag(): Promise<ScaleWithTag> {
  const result = await api.GET('/api/v1/rating-scale');
  const scale = await unwrap(Promise.resolve(result));
  return { scale, etag: result.response.headers.get('ETag') };
}

/** Replaces the scale; `tag` is the ETag it was read with (no `If-Match` without one). */
export async function putRatingScale(body: Rating[], tag: string | null): Promise<ScaleWithTag> {
  const result = await api.PUT('/api/v1/rating-scale', {
    body,
    params: { header: tag ? { 'If-Match': tag } : {} },
  });
  const scale = await unwrap(Promise.resolve(result));
  return { scale, etag: result.response.headers.get('ETag') };
}

export const getSettings = () => unwrap(api.GET('/api/v1/settings'));
export const putSettings = (body: SettingsRequest, version: number) =>
  unwrap(api.PUT('/api/v1/settings', { params: { header: ifMatch(version) }, body }));
export const getStats = () => unwrap(api.GET('/api/v1/stats'));

/** The rating scale, fetched once and shared (it rarely changes). */
export function useRatingScale() {
  return useQuery({ queryKey: ratingScaleKeys.scale(), queryFn: getRatingScale, staleTime: 5 * 60_000 });
}

const withEtagQuery = { queryKey: ratingScaleKeys.withEtag(), queryFn: getRatingScaleWithEtag, staleTime: 0 };

/** The rating scale with its ETag, always fresh, for editing it. */
export function useRatingScaleWithEtag() {
  return useQuery(withEtagQuery);
}

/** Reading the scale again: `fetchFresh` now (with its ETag), or `reload` every copy of it. */
export function useRatingScaleReload() {
  const client = useQueryClient();
  const fetchFresh = useCallback(() => client.fetchQuery(withEtagQuery), [client]);
  const reload = useCallback(() => client.invalidateQueries({ queryKey: ratingScaleKeys.all }), [client]);
  return { fetchFresh, reload };
}

/** Saves the scale; both cached copies become the saved one before `onSuccess` runs. */
export function useSaveRatingScale(callbacks: Callbacks<ScaleWithTag, { body: Rating[]; tag: string | null }> = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ body, tag }: { body: Rating[]; tag: string | null }) => putRatingScale(body, tag),
    onSuccess: (data, vars) => {
      client.setQueryData(ratingScaleKeys.withEtag(), data);
      client.setQueryData(ratingScaleKeys.scale(), data.scale);
      return callbacks.onSuccess?.(data, vars);
    },
  });
}

export function useSettings() {
  return useQuery({ queryKey: settingsKeys.newsroom(), queryFn: getSettings });
}

/** Puts settings the server sent (after a save, or with a 412) into the cache. */
export function useStoreSettings() {
  const client = useQueryClient();
  return useCallback((settings: Settings) => client.setQueryData(settingsKeys.newsroom(), settings), [client]);
}

/** Saves the settings with `If-Match: version`; the saved ones are stored before `onSuccess`. */
export function useSaveSettings(callbacks: Callbacks<Settings, { body: SettingsRequest; version: number }> = {}) {
  const store = useStoreSettings();
  return useMutation({
    mutationFn: ({ body, version }: { body: SettingsRequest; version: number }) => putSettings(body, version),
    onSuccess: (data, vars) => {
      store(data);
      return callbacks.onSuccess?.(data, vars);
    },
  });
}

export function useStats() {
  return useQuery({ queryKey: statsKeys.desk(), queryFn: getStats });
}

export type Agreement = Schemas['Agreement'];
export const getAgreement = (from: string, to: string) =>
  unwrap(api.GET('/api/v1/stats/agreement', { params: { query: { from: from || undefined, to: to || undefined } } }));

/** How far independent reviewers agree, over claims rated in [from, to] (dates; empty for open ends). */
export function useAgreement(from: string, to: string) {
  return useQuery({ queryKey: statsKeys.agreement(from, to), queryFn: () => getAgreement(from, to) });
}
