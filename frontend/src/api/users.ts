/**
 * Users: the reviewers to choose from, the admins' paged list, inviting someone,
 * changing a user's role or status, and resending an invitation.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Callbacks } from './callbacks';
import { api, ifMatch, unwrap, type Role, type Schemas, type User } from './client';
import type { operations } from './schema';

/** The filters of the Users screen, as the address keeps them ('' = any). */
export interface UserListFilters {
  role: Role | '';
  active: string;
  q: string;
}

/**
 * Every user key starts with `['users']`. The reviewer pickers (one page of up to 200)
 * and the admins' paged lists (infinite queries, whose rows are replaced in place after
 * a change) are separate branches.
 */
export const userKeys = {
  all: ['users'] as const,
  pickers: () => [...userKeys.all, 'picker'] as const,
  /** Reviewers to choose from: only the active ones, or all of them. */
  reviewers: (activeOnly: boolean) =>
    [...userKeys.pickers(), activeOnly ? { role: 'reviewer', active: true } : { role: 'reviewer' }] as const,
  adminLists: () => [...userKeys.all, 'admin'] as const,
  adminList: (filters: UserListFilters) => [...userKeys.adminLists(), filters] as const,
};

type UserQuery = operations['list_users']['parameters']['query'];
type UserPage = Schemas['Page_UserView'];
type CreateUserRequest = Schemas['CreateUserRequest'];
export type UserChange = Schemas['UpdateUserRequest'];

export const listUsers = (query: UserQuery) => unwrap(api.GET('/api/v1/users', { params: { query } }));
export const inviteUser = (body: CreateUserRequest) => unwrap(api.POST('/api/v1/users', { body }));
export const updateUser = (id: string, version: number, body: UserChange) =>
  unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id }, header: ifMatch(version) }, body }));
export const resendInvitation = (id: string) =>
  unwrap(api.POST('/api/v1/users/{id}/invitation', { params: { path: { id } } }));

/** The active reviewers (up to 200), for choosing whom to assign or write to. */
export function useActiveReviewers() {
  return useQuery({
    queryKey: userKeys.reviewers(true),
    queryFn: () => listUsers({ role: 'reviewer', active: true, limit: 200 }),
    staleTime: 60_000,
  });
}

/** Every reviewer (up to 200), inactive ones too, for filtering by one. */
export function useAllReviewers() {
  return useQuery({
    queryKey: userKeys.reviewers(false),
    queryFn: () => listUsers({ role: 'reviewer', limit: 200 }),
  });
}

/** The Users screen's list, 50 a page. */
export function useUserList(filters: UserListFilters) {
  const { role, active, q } = filters;
  return useInfiniteQuery({
    queryKey: userKeys.adminList(filters),
    queryFn: ({ pageParam }) =>
      listUsers({
        limit: 50,
        ...(role ? { role } : {}),
        ...(active ? { active: active === 'true' } : {}),
        ...(q ? { q } : {}),
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** Replaces a user's row, wherever it is shown in the Users screen's lists. */
export function useReplaceUserRow() {
  const client = useQueryClient();
  return useCallback(
    (next: User) =>
      client.setQueriesData<InfiniteData<UserPage>>({ queryKey: userKeys.adminLists() }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((p) => ({ ...p, items: p.items.map((u) => (u.id === next.id ? next : u)) })),
            }
          : data,
      ),
    [client],
  );
}

/** Invites someone; `onSuccess` runs, then every user list is refreshed. */
export function useInviteUser(callbacks: Callbacks<User, CreateUserRequest> = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: inviteUser,
    onSuccess: (user, vars) => {
      const done = callbacks.onSuccess?.(user, vars);
      void client.invalidateQueries({ queryKey: userKeys.all });
      return done;
    },
  });
}

/**
 * Changes a user with `If-Match: version`. The changed row is put in place and every
 * user list is marked stale (not refetched: the row is already right), then `onSuccess`.
 */
export function useUpdateUser(id: string, callbacks: Callbacks<User, { change: UserChange; version: number }> = {}) {
  const client = useQueryClient();
  const replaceRow = useReplaceUserRow();
  return useMutation({
    mutationFn: ({ change, version }: { change: UserChange; version: number }) => updateUser(id, version, change),
    onSuccess: (next, vars) => {
      replaceRow(next);
      void client.invalidateQueries({ queryKey: userKeys.all, refetchType: 'none' });
      return callbacks.onSuccess?.(next, vars);
    },
    onError: (error, vars) => callbacks.onError?.(error, vars),
  });
}

export function useResendInvitation(id: string, callbacks: Callbacks<unknown, void> = {}) {
  return useMutation({
    mutationFn: () => resendInvitation(id),
    onSuccess: (data) => callbacks.onSuccess?.(data, undefined),
  });
}
