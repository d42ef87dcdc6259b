/**
 * What a screen adds to a mutation hook: its own reactions (reset a form, announce,
 * navigate). Each hook says when they run relative to its cache updates, keeping the
 * order the screens had when they made the calls themselves.
 */
export interface Callbacks<TData, TVars> {
  onMutate?: (vars: TVars) => unknown;
  onSuccess?: (data: TData, vars: TVars) => unknown;
  onError?: (error: Error, vars: TVars) => unknown;
}
