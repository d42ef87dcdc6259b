/**
 * The session and the signed-in user's own account: who is signed in (`GET /auth/me`),
 * signing in and out, the password links from emails, the profile and the password.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Callbacks } from './callbacks';
import { api, ApiError, ifMatch, unwrap, type Schemas, type User } from './client';

export const authKeys = {
  all: ['auth'] as const,
  /** The signed-in user, or null when nobody is. */
  me: () => [...authKeys.all, 'me'] as const,
};

type LoginRequest = Schemas['LoginRequest'];
type TokenPasswordRequest = Schemas['TokenPasswordRequest'];
type UpdateMeRequest = Schemas['UpdateMeRequest'];
type ChangePasswordRequest = Schemas['ChangePasswordRequest'];

/** The signed-in user; null when the session is missing or ended (401). */
export async function fetchMe(): Promise<User | null> {
  try {
    return await unwrap(api.GET('/api/v1/auth/me'));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export const login = (body: LoginRequest) => unwrap(api.POST('/api/v1/auth/login', { body }));
export const logout = () => unwrap(api.POST('/api/v1/auth/logout'));
export const requestPasswordReset = (email: string) =>
  unwrap(api.POST('/api/v1/auth/password-reset', { body: { email } }));
export const confirmPasswordReset = (body: TokenPasswordRequest) =>
  unwrap(api.POST('/api/v1/auth/password-reset/confirm', { body }));
export const acceptInvite = (body: TokenPasswordRequest) =>
  unwrap(api.POST('/api/v1/auth/accept-invite', { body }));
export const updateMe = (body: UpdateMeRequest, version: number) =>
  unwrap(api.PATCH('/api/v1/auth/me', { params: { header: ifMatch(version) }, body }));
export const changePassword = (body: ChangePasswordRequest) =>
  unwrap(api.POST('/api/v1/auth/password', { body }));

export const meQuery = () => queryOptions({ queryKey: authKeys.me(), queryFn: fetchMe, staleTime: 60_000 });

export function useMe() {
  return useQuery(meQuery());
}

/** Stores who is signed in now (null: nobody), as the session probe would find. */
export function useSetMe() {
  const client = useQueryClient();
  return useCallback((user: User | null) => client.setQueryData(authKeys.me(), user), [client]);
}

/** Signs in; the user is stored before `onSuccess` runs. */
export function useLogin(callbacks: Callbacks<Schemas['LoginResponse'], LoginRequest> = {}) {
  const setMe = useSetMe();
  return useMutation({
    mutationFn: login,
    onSuccess: (data, vars) => {
      setMe(data.user);
      return callbacks.onSuccess?.(data, vars);
    },
  });
}

/** Signs out: whatever the server says, every cached answer is dropped and nobody is signed in. */
export function useSignOut() {
  const client = useQueryClient();
  return useCallback(async () => {
    try {
      await logout();
    } finally {
      client.clear();
      client.setQueryData(authKeys.me(), null);
    }
  }, [client]);
}

export function useRequestPasswordReset() {
  return useMutation({ mutationFn: requestPasswordReset });
}

/**
 * Sets the password from an emailed link. An invitation signs the new user in (the
 * mutation's data is true); a reset does not (false).
 */
export function useTokenPassword(invite: boolean, callbacks: Callbacks<boolean, TokenPasswordRequest> = {}) {
  const setMe = useSetMe();
  return useMutation({
    mutationFn: async (body: TokenPasswordRequest) => {
      if (invite) {
        const signedIn = await acceptInvite(body);
        setMe(signedIn.user);
        return true;
      }
      await confirmPasswordReset(body);
      return false;
    },
    onSuccess: (signedIn, vars) => callbacks.onSuccess?.(signedIn, vars),
  });
}

/** Saves the profile with `If-Match`; the saved user is stored before `onSuccess` runs. */
export function useUpdateMe(callbacks: Callbacks<User, { body: UpdateMeRequest; version: number }> = {}) {
  const setMe = useSetMe();
  return useMutation({
    mutationFn: ({ body, version }: { body: UpdateMeRequest; version: number }) => updateMe(body, version),
    onSuccess: (me, vars) => {
      setMe(me);
      return callbacks.onSuccess?.(me, vars);
    },
  });
}

export function useChangePassword(callbacks: Callbacks<unknown, ChangePasswordRequest> = {}) {
  return useMutation({
    mutationFn: changePassword,
    onSuccess: (data, vars) => callbacks.onSuccess?.(data, vars),
  });
}
