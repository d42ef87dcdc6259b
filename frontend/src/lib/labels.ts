import type { Action, Priority, Status } from '../api/client';

export const STATUS_LABELS: Record<Status, string> = {
  draft: 'Draft',
  assigned: 'Assigned',
  in_review: 'In review',
  submitted: 'Submitted',
  approved: 'Approved',
  published: 'Published',
  dropped: 'Dropped',
};

export const STATUSES = Object.keys(STATUS_LABELS) as Status[];

export const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

export const PRIORITIES = Object.keys(PRIORITY_LABELS) as Priority[];

/** The words on the button for each workflow action. */
export const ACTION_LABELS: Record<Action, string> = {
  assign: 'Assign',
  unassign: 'Unassign',
  start: 'Start review',
  submit: 'Submit for approval',
  withdraw: 'Withdraw',
  request_changes: 'Request changes',
  approve: 'Approve',
  publish: 'Publish…',
  reopen: 'Reopen',
  drop: 'Drop',
  restore: 'Restore',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as Status] ?? status;
}

export function priorityLabel(priority: string): string {
  return PRIORITY_LABELS[priority as Priority] ?? priority;
}

/** An article's derived status (DESIGN.md section 2), in the desk's words. */
export const ARTICLE_STATUS_LABELS: Record<string, string> = {
  draft: 'Being split',
  checking: 'Checking',
  ready: 'Ready to publish',
  published: 'Published',
};

export function articleStatusLabel(status: string): string {
  return ARTICLE_STATUS_LABELS[status] ?? status;
}

/**
 * An article as a list or a picker names it, so two with the same title can be told
 * apart: "Zelensky interview — Kyiv Independent, 15 Feb 2025".
 */
export function articleLabel(a: { title: string; outlet?: string | null; published_at?: string | null; created_at: string }): string {
  const date = new Date(a.published_at ?? a.created_at).toLocaleDateString(undefined, { dateStyle: 'medium' });
  return `${a.title} — ${[a.outlet, date].filter(Boolean).join(', ')}`;
}
