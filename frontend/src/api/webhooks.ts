/**
 * Webhook endpoints (admins): the list, adding, changing and removing one, a test
 * event, and each endpoint's delivery log with a retry for a delivery given up.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Callbacks } from './callbacks';
import { api, ifMatch, unwrap, type Schemas } from './client';

export type Webhook = Schemas['WebhookView'];
export type CreatedWebhook = Schemas['CreatedWebhook'];
export type NewWebhook = Schemas['NewWebhook'];
export type WebhookChanges = Schemas['WebhookChanges'];
export type WebhookEvent = Schemas['WebhookEvent'];
export type WebhookFormat = Schemas['WebhookFormat'];
export type Delivery = Schemas['WebhookDelivery'];

export const webhookKeys = {
  all: ['webhooks'] as const,
  list: () => [...webhookKeys.all, 'list'] as const,
  deliveries: (id: string) => [...webhookKeys.all, 'deliveries', id] as const,
};

export function useWebhooks() {
  return useQuery({
    queryKey: webhookKeys.list(),
    queryFn: () => unwrap(api.GET('/api/v1/webhooks')),
    // Deliveries are sent by the worker, not by a change anyone sees: while some wait,
    // the counts are refreshed.
    refetchInterval: (query) => (query.state.data?.some((w) => w.pending > 0) ? 3000 : false),
  });
}

/** An endpoint's deliveries, newest first; refreshed every few seconds while any waits. */
export function useDeliveries(id: string | null) {
  return useInfiniteQuery({
    queryKey: webhookKeys.deliveries(id ?? ''),
    enabled: Boolean(id),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/webhooks/{id}/deliveries', {
          params: { path: { id: id! }, query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((d) => !d.delivered_at && !d.failed_at)) ? 3000 : false,
  });
}

export function useCreateWebhook(callbacks: Callbacks<CreatedWebhook, NewWebhook> = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewWebhook) => unwrap(api.POST('/api/v1/webhooks', { body })),
    onSuccess: async (created, vars) => {
      await callbacks.onSuccess?.(created, vars);
      await client.invalidateQueries({ queryKey: webhookKeys.all });
    },
  });
}

export function useUpdateWebhook(callbacks: Callbacks<Webhook, { id: string; version: number; changes: WebhookChanges }> = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, changes }: { id: string; version: number; changes: WebhookChanges }) =>
      unwrap(api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id }, header: ifMatch(version) }, body: changes })),
    onSuccess: async (webhook, vars) => {
      await callbacks.onSuccess?.(webhook, vars);
      await client.invalidateQueries({ queryKey: webhookKeys.all });
    },
  });
}

export function useDeleteWebhook(callbacks: Callbacks<void, string> = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await unwrap(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } }));
    },
    onSuccess: async (_, id) => {
      await callbacks.onSuccess?.(undefined, id);
      await client.invalidateQueries({ queryKey: webhookKeys.all });
    },
  });
}

export function useSendTest(callbacks: Callbacks<Delivery, string> = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/webhooks/{id}/test', { params: { path: { id } } })),
    onSuccess: async (delivery, id) => {
      await callbacks.onSuccess?.(delivery, id);
      await client.invalidateQueries({ queryKey: webhookKeys.all });
    },
  });
}

export function useRetryDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, deliveryId }: { id: string; deliveryId: string }) =>
      unwrap(
        api.POST('/api/v1/webhooks/{id}/deliveries/{delivery_id}/retry', {
          params: { path: { id, delivery_id: deliveryId } },
        }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: webhookKeys.all });
    },
  });
}
