import { describe, expect, it } from 'vitest';
import { KIND_LABELS, notificationWords } from './notifications';

describe('notificationWords', () => {
  it('names who did what to which claim', () => {
    expect(notificationWords({ kind: 'submitted', actor_name: 'Rita', subject: 'Prices rose 40%' })).toBe(
      'Rita submitted “Prices rose 40%”',
    );
    expect(notificationWords({ kind: 'mention', actor_name: null, subject: 'X' })).toBe('Someone mentioned you on “X”');
    expect(notificationWords({ kind: 'webhook_disabled', actor_name: null, subject: 'Slack' })).toBe(
      'The webhook “Slack” was turned off: its receiver answered 410 Gone',
    );
  });

  it('needs no actor for what the scheduler and readers send', () => {
    expect(notificationWords({ kind: 'overdue', actor_name: null, subject: 'X' })).toBe('“X” is overdue');
    expect(notificationWords({ kind: 'error_report', actor_name: null, subject: 'X' })).toBe(
      'A reader reported an error: “X”',
    );
  });

  it('labels every kind for the account page', () => {
    expect(Object.keys(KIND_LABELS)).toHaveLength(10);
  });
});
