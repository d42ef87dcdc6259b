/** How notifications read: one sentence each, and the words of the account page's choices. */
import type { Channel, Notification, NotificationKind } from '../api/notifications';

/** "Rita submitted “Zelensky has a 4% approval rating”". */
export function notificationWords(n: Pick<Notification, 'kind' | 'actor_name' | 'subject'>): string {
  const who = n.actor_name ?? 'Someone';
  const what = `“${n.subject}”`;
  switch (n.kind) {
    case 'assignment':
      return `${who} assigned you ${what}`;
    case 'unassignment':
      return `${who} took you off ${what}`;
    case 'submitted':
      return `${who} submitted ${what}`;
    case 'changes_requested':
      return `${who} asked for changes to ${what}`;
    case 'approved':
      return `${who} approved ${what}`;
    case 'reminder':
      return `${what} is due soon`;
    case 'overdue':
      return `${what} is overdue`;
    case 'error_report':
      return `A reader reported an error: ${what}`;
    case 'mention':
      return `${who} mentioned you on ${what}`;
    case 'webhook_disabled':
      return `The webhook ${what} was turned off: its receiver answered 410 Gone`;
  }
}

/** What each kind is, on the account page. */
export const KIND_LABELS: Record<NotificationKind, string> = {
  assignment: 'A claim is assigned to me',
  unassignment: 'I am taken off a claim',
  submitted: 'A reviewer submits a claim I assigned',
  changes_requested: 'An editor asks for changes to my verdict',
  approved: 'An editor approves a claim I reviewed',
  reminder: 'A claim of mine is due soon',
  overdue: 'A claim of mine (or one I assigned) is overdue',
  error_report: 'A reader reports an error',
  mention: 'Someone mentions me in a comment',
  webhook_disabled: 'A webhook’s receiver says it wants no more events (410 Gone)',
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  in_app: 'In the app',
  email: 'Email and in the app',
  off: 'Off',
};
