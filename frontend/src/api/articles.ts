/**
 * Articles: the list, one article with its claims (and, for editors, its publish plan),
 * creating and editing one, and the claims the server suggests in its text.
 */
import {
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Callbacks } from './callbacks';
import { api, ifMatch, unwrap, type Article, type Schemas } from './client';

/**
 * Every article key starts with `['articles']`. The lists, one article (and what hangs
 * off it, such as its public page) and the suggestions are separate branches, so a
 * mutation refreshes exactly the ones it changed.
 */
export const articleKeys = {
  all: ['articles'] as const,
  /** Every list of `GET /articles` the article screens page through. */
  lists: () => [...articleKeys.all, 'list'] as const,
  list: (q: string) => [...articleKeys.lists(), q] as const,
  /** The short list the export filters choose from (kept apart: it may be a minute old). */
  picker: () => [...articleKeys.all, 'picker'] as const,
  details: () => [...articleKeys.all, 'detail'] as const,
  detail: (id: string) => [...articleKeys.details(), id] as const,
  /** The article's public page as the public JSON shows it; refreshed with the article. */
  publicPage: (id: string, version: number | undefined, unpublishedAt: string | null | undefined) =>
    [...articleKeys.detail(id), 'publication', version, unpublishedAt] as const,
  suggestions: (id: string) => [...articleKeys.all, 'suggestions', id] as const,
  suggestionsAt: (id: string, revision: number) => [...articleKeys.suggestions(id), revision] as const,
};

/** What saving an article makes stale besides itself: the lists, and its suggestions (the text may be new). */
export const articleSavedKeys = (id: string): QueryKey[] => [articleKeys.lists(), articleKeys.suggestions(id)];

type CreateArticleRequest = Schemas['CreateArticleRequest'];
type UpdateArticleRequest = Schemas['UpdateArticleRequest'];

export const listArticles = (query: { q?: string; limit?: number; cursor?: string }) =>
  unwrap(api.GET('/api/v1/articles', { params: { query } }));
export const getArticle = (id: string) => unwrap(api.GET('/api/v1/articles/{id}', { params: { path: { id } } }));
export const createArticle = (body: CreateArticleRequest) => unwrap(api.POST('/api/v1/articles', { body }));
export const updateArticle = (id: string, version: number, body: UpdateArticleRequest) =>
  unwrap(api.PATCH('/api/v1/articles/{id}', { params: { path: { id } }, headers: ifMatch(version), body }));
export const articleSuggestions = (id: string) =>
  unwrap(api.GET('/api/v1/articles/{id}/suggestions', { params: { path: { id } } }));

/** The articles matching `q` (title or outlet), 50 a page. */
export function useArticles(q: string) {
  return useInfiniteQuery({
    queryKey: articleKeys.list(q),
    queryFn: ({ pageParam }) =>
      listArticles({ ...(q ? { q } : {}), limit: 50, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** Up to 200 articles to choose one from. */
export function useArticlePicker() {
  return useQuery({
    queryKey: articleKeys.picker(),
    queryFn: () => listArticles({ limit: 200 }),
    staleTime: 60_000,
  });
}

export const articleQuery = (id: string) =>
  queryOptions({ queryKey: articleKeys.detail(id), queryFn: () => getArticle(id) });

export function useArticle(id: string, options: { enabled?: boolean } = {}) {
  return useQuery({ ...articleQuery(id), enabled: options.enabled });
}

/** Puts an article the server sent into the cache, as if it had just been fetched. */
export function useStoreArticle() {
  const client = useQueryClient();
  return useCallback((article: Article) => client.setQueryData(articleKeys.detail(article.id), article), [client]);
}

/** Creates an article; the article lists are refreshed before `onSuccess` runs. */
export function useCreateArticle(callbacks: Callbacks<Article, CreateArticleRequest> = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createArticle,
    onSuccess: (article, vars) => {
      void client.invalidateQueries({ queryKey: articleKeys.lists() });
      return callbacks.onSuccess?.(article, vars);
    },
  });
}

/**
 * Saves an article with `If-Match: version`. The saved article is stored, the lists and
 * the article's suggestions (its text may have changed) are refreshed, then `onSuccess`.
 */
export function useUpdateArticle(
  id: string,
  callbacks: Callbacks<Article, { version: number; body: UpdateArticleRequest }> = {},
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ version, body }: { version: number; body: UpdateArticleRequest }) =>
      updateArticle(id, version, body),
    onSuccess: (saved, vars) => {
      client.setQueryData(articleKeys.detail(id), saved);
      for (const queryKey of articleSavedKeys(id)) void client.invalidateQueries({ queryKey });
      return callbacks.onSuccess?.(saved, vars);
    },
  });
}

/** The suggested claims of the article's text at `revision` (a new revision is a new question). */
export function useSuggestions(id: string, revision: number) {
  return useQuery({
    queryKey: articleKeys.suggestionsAt(id, revision),
    queryFn: () => articleSuggestions(id),
  });
}
