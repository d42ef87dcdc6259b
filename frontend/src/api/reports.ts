/**
 * Readers' error reports, the editors' inbox: `GET /error-reports?status=`, `PATCH
 * /error-reports/{id}` (status, correction), `POST /error-reports/{id}/replies`.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Callbacks } from './callbacks';
import { api, ifMatch, unwrap, type Schemas } from './client';

export type ReportStatus = Schemas['ReportStatus'];
export type UpdateErrorReportRequest = Schemas['UpdateErrorReportRequest'];

export const reportKeys = {
  all: ['error-reports'] as const,
  list: (status: string) => [...reportKeys.all, 'list', status] as const,
  newCount: () => [...reportKeys.all, 'new-count'] as const,
};

export const listReports = (status: string, cursor?: string) =>
  unwrap(
    api.GET('/api/v1/error-reports', {
      params: { query: { ...(status ? { status } : {}), ...(cursor ? { cursor } : {}), limit: 50 } },
    }),
  );
export type ErrorReport = Awaited<ReturnType<typeof listReports>>['items'][number];

export const updateReport = (id: string, version: number, body: UpdateErrorReportRequest) =>
  unwrap(api.PATCH('/api/v1/error-reports/{id}', { params: { path: { id }, header: ifMatch(version) }, body }));
export const replyToReport = (id: string, body: string) =>
  unwrap(api.POST('/api/v1/error-reports/{id}/replies', { params: { path: { id } }, body: { body } }));

export function useReports(status: string) {
  return useInfiniteQuery({
    queryKey: reportKeys.list(status),
    queryFn: ({ pageParam }) => listReports(status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** How many reports wait for an editor (for the menu's count). */
export function useNewReportCount(enabled: boolean) {
  return useQuery({
    queryKey: reportKeys.newCount(),
    queryFn: async () => (await unwrap(api.GET('/api/v1/error-reports', { params: { query: { status: 'new', limit: 1 } } }))).new_count,
    enabled,
    staleTime: 60_000,
  });
}

function useReportMutation<TVars>(mutationFn: (vars: TVars) => Promise<ErrorReport>, callbacks: Callbacks<ErrorReport, TVars>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async (report, vars) => {
      await callbacks.onSuccess?.(report, vars);
      await client.invalidateQueries({ queryKey: reportKeys.all });
    },
  });
}

export function useUpdateReport(
  id: string,
  callbacks: Callbacks<ErrorReport, { version: number; body: UpdateErrorReportRequest }> = {},
) {
  return useReportMutation(({ version, body }: { version: number; body: UpdateErrorReportRequest }) => updateReport(id, version, body), callbacks);
}

export function useReplyToReport(id: string, callbacks: Callbacks<ErrorReport, string> = {}) {
  return useReportMutation((body: string) => replyToReport(id, body), callbacks);
}
