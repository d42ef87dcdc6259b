/** An editor's email to reviewers (`POST /messages`). Nothing is read back, so there are no keys. */
import { useMutation } from '@tanstack/react-query';
import type { Callbacks } from './callbacks';
import { api, unwrap, type Schemas } from './client';

export type MessageRequest = Schemas['MessageRequest'];

export const sendMessage = (body: MessageRequest) => unwrap(api.POST('/api/v1/messages', { body }));

export function useSendMessage(callbacks: Callbacks<Schemas['MessageSent'], MessageRequest> = {}) {
  return useMutation({
    mutationFn: sendMessage,
    onSuccess: (data, vars) => callbacks.onSuccess?.(data, vars),
  });
}
