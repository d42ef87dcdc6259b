/**
 * The signed-in user's notifications: the bell's unread count, the inbox, marking read.
 * The event stream refreshes both when one arrives or is read in another tab.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Callbacks } from './callbacks';
import { api, unwrap, type Schemas } from './client';

export type Notification = Schemas['NotificationView'];
export type NotificationKind = Schemas['NotificationKind'];
export type Channel = Schemas['NotificationChannel'];
export type ReadAnswer = Schemas['ReadAnswer'];

export const notificationKeys = {
  all: ['notifications'] as const,
  list: (unreadOnly: boolean) => [...notificationKeys.all, 'list', unreadOnly] as const,
  unread: () => [...notificationKeys.all, 'unread'] as const,
};

export const listNotifications = (unreadOnly: boolean, cursor?: string) =>
  unwrap(
    api.GET('/api/v1/notifications', {
      params: { query: { ...(unreadOnly ? { unread: true } : {}), ...(cursor ? { cursor } : {}), limit: 50 } },
    }),
  );

export const markRead = (body: Schemas['ReadRequest']) => unwrap(api.POST('/api/v1/notifications/read', { body }));

export function useNotifications(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: notificationKeys.list(unreadOnly),
    queryFn: ({ pageParam }) => listNotifications(unreadOnly, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** The bell's number. */
export function useUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.unread(),
    queryFn: async () => (await listNotifications(true, undefined)).unread,
    enabled,
    staleTime: 60_000,
  });
}

export function useMarkRead(callbacks: Callbacks<ReadAnswer, Schemas['ReadRequest']> = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: markRead,
    onSuccess: async (answer, vars) => {
      client.setQueryData(notificationKeys.unread(), answer.unread);
      await callbacks.onSuccess?.(answer, vars);
      await client.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
}
