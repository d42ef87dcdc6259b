import { priorityLabel, statusLabel } from '../lib/labels';

export function StatusBadge({ status }: { status: string }) {
  const tone =
    status === 'published' || status === 'approved'
      ? ' badge--ok'
      : status === 'submitted'
        ? ' badge--warn'
        : '';
  return <span className={`badge${tone}`}>{statusLabel(status)}</span>;
}

export function PriorityBadge({ priority }: { priority: string }) {
  const tone = priority === 'urgent' ? ' badge--bad' : priority === 'high' ? ' badge--warn' : '';
  return <span className={`badge${tone}`}>{priorityLabel(priority)}</span>;
}

export function OverdueBadge() {
  return <span className="badge badge--bad">Overdue</span>;
}
