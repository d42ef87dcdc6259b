/**
 * Publishing: an article's public page (publish, corrections, taking it down, the page
 * as readers get it) and the verdict exports.
 */
import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useCallback } from 'react';
import { exportQuery, filenameFromDisposition, type ExportFilters } from '../lib/download';
import { articleKeys } from './articles';
import type { Callbacks } from './callbacks';
import { claimKeys, invalidateAll } from './claims';
import { api, ApiError, unwrap, type ApiProblem, type Schemas } from './client';
import { statsKeys } from './settings';

export type Publication = Schemas['PublicationView'];
export type PublicArticle = Schemas['PublicArticle'];
type PublishRequest = Schemas['PublishRequest'];
type CorrectionRequest = Schemas['CorrectionRequest'];

/** What is known of the article's public page, if it has one. */
export type Existing = { kind: 'live'; slug: string; page: PublicArticle } | { kind: 'gone'; slug: string };

export const publishArticle = (articleId: string, body: PublishRequest) =>
  unwrap(api.POST('/api/v1/articles/{id}/publish', { params: { path: { id: articleId } }, body }));
export const correctArticle = (articleId: string, body: CorrectionRequest) =>
  unwrap(api.POST('/api/v1/articles/{id}/corrections', { params: { path: { id: articleId } }, body }));
export const unpublishArticle = (articleId: string, reason: string) =>
  unwrap(api.POST('/api/v1/articles/{id}/unpublish', { params: { path: { id: articleId } }, body: { reason } }));
export const getPublicArticle = (slug: string) =>
  unwrap(api.GET('/api/v1/public/articles/{slug}', { params: { path: { slug } } }));

/** The public page of a publication: live (with its corrections), or gone (taken down, 410). */
export async function findExisting(publication: Publication): Promise<Existing> {
  if (publication.unpublished_at) return { kind: 'gone', slug: publication.slug };
  const slug = publication.slug;
  try {
    const page = await getPublicArticle(slug);
    return { kind: 'live', slug, page };
  } catch (e) {
    if (e instanceof ApiError && e.status === 410) return { kind: 'gone', slug };
    throw e;
  }
}

/** The public page of the article's stored publication (nothing to ask without one). */
export function usePublicPage(articleId: string, stored: Publication | null) {
  return useQuery({
    queryKey: articleKeys.publicPage(articleId, stored?.version, stored?.unpublished_at),
    queryFn: () => findExisting(stored as Publication),
    enabled: Boolean(stored),
  });
}

/**
 * What publishing, correcting or taking the page down makes stale: the article (with its
 * public page), the article and claim lists (statuses) and the dashboard's figures.
 */
export const publishedKeys = (articleId: string): QueryKey[] => [
  articleKeys.detail(articleId),
  articleKeys.lists(),
  claimKeys.lists(),
  statsKeys.all,
];

/** Refreshes what publishing changed (not awaited). */
export function useRefreshPublished(articleId: string) {
  const client = useQueryClient();
  return useCallback(() => void invalidateAll(client, publishedKeys(articleId)), [client, articleId]);
}

/** `onSuccess` runs, then what publishing changed is refreshed (not awaited). */
function usePublishingMutation<TData, TVars>(
  articleId: string,
  mutationFn: (vars: TVars) => Promise<TData>,
  callbacks: Callbacks<TData, TVars>,
) {
  const refresh = useRefreshPublished(articleId);
  return useMutation({
    mutationFn,
    onSuccess: (data, vars) => {
      callbacks.onSuccess?.(data, vars);
      refresh();
    },
    onError: (error, vars) => callbacks.onError?.(error, vars),
  });
}

export function usePublish(articleId: string, callbacks: Callbacks<Publication, PublishRequest> = {}) {
  return usePublishingMutation(articleId, (body: PublishRequest) => publishArticle(articleId, body), callbacks);
}

export function useAddCorrection(
  articleId: string,
  callbacks: Callbacks<Schemas['CorrectionView'], CorrectionRequest> = {},
) {
  return usePublishingMutation(articleId, (body: CorrectionRequest) => correctArticle(articleId, body), callbacks);
}

/** Takes the page down; the variable is the reason. */
export function useUnpublish(articleId: string, callbacks: Callbacks<Publication, string> = {}) {
  return usePublishingMutation(articleId, (reason: string) => unpublishArticle(articleId, reason), callbacks);
}

/* ---------------------------------------------------------------- exports */

async function problemOf(response: Response): Promise<ApiError> {
  let body: unknown = null;
  if (/json/i.test(response.headers.get('content-type') ?? '')) {
    try {
      body = await response.json();
    } catch {
      body = null;
    }
  }
  const problem: ApiProblem =
    body && typeof body === 'object' && 'title' in body
      ? { ...(body as ApiProblem), status: (body as ApiProblem).status ?? response.status }
      : { type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: response.status };
  return new ApiError(problem);
}

/**
 * The verdict export (`GET /reports/verdicts`) as a file: a plain fetch with the session
 * cookie, so a 4xx problem comes back as an ApiError the form can show by its fields.
 */
export async function exportVerdicts(filters: ExportFilters): Promise<{ blob: Blob; name: string }> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/reports/verdicts?${exportQuery(filters)}`, {
      credentials: 'same-origin',
      headers: { 'X-Requested-With': 'factdesk' },
    });
  } catch (e) {
    throw new ApiError({
      type: 'about:blank',
      title: 'The server could not be reached',
      status: 0,
      detail: e instanceof Error ? e.message : String(e),
    });
  }
  if (!response.ok) throw await problemOf(response);
  const blob = await response.blob();
  const ext = filters.format === 'claimreview' ? 'claimreview.json' : filters.format;
  const name = filenameFromDisposition(response.headers.get('content-disposition'), `factdesk-verdicts.${ext}`);
  return { blob, name };
}
