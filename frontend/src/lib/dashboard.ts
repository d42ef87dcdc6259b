/** Pure helpers for the dashboard: rows for the charts and their tables. */
import type { Rating, Stats } from '../api/client';
import { STATUSES, statusLabel } from './labels';

export interface StatusRow {
  status: string;
  label: string;
  count: number;
}

/** Claims by status in workflow order, then any status the app does not know yet. */
export function statusRows(byStatus: Stats['claims_by_status']): StatusRow[] {
  const known: string[] = STATUSES;
  const extra = Object.keys(byStatus).filter((s) => !known.includes(s)).sort();
  return [...known, ...extra].map((status) => ({
    status,
    label: statusLabel(status),
    count: byStatus[status] ?? 0,
  }));
}

export interface RatingRow {
  rating: string;
  label: string;
  color: string;
  count: number;
}

/**
 * Verdicts by rating, labelled and coloured from the rating scale (the stats carry the
 * label and colour too, used for ratings no longer on the scale), in scale order.
 */
export function ratingRows(counts: Stats['verdicts_by_rating'], scale: Rating[] | undefined): RatingRow[] {
  const byKey = new Map((scale ?? []).map((r) => [r.key, r]));
  const order = new Map((scale ?? []).map((r) => [r.key, r.ordinal]));
  return counts
    .map((c, i) => ({
      rating: c.rating,
      label: byKey.get(c.rating)?.label ?? c.label,
      color: byKey.get(c.rating)?.color ?? c.color,
      count: c.count,
      sort: order.get(c.rating) ?? Number.MAX_SAFE_INTEGER,
      i,
    }))
    .sort((a, b) => a.sort - b.sort || a.i - b.i)
    .map(({ rating, label, color, count }) => ({ rating, label, color, count }));
}

/** Median hours in words: "—" when there is no figure, "3.5 hours", "2.1 days". */
export function formatHours(hours: number | null | undefined): string {
  if (hours == null || !Number.isFinite(hours)) return '—';
  if (hours < 1) {
    const minutes = Math.round(hours * 60);
    return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  }
  if (hours < 48) {
    const h = Math.round(hours * 10) / 10;
    return `${h} ${h === 1 ? 'hour' : 'hours'}`;
  }
  const days = Math.round((hours / 24) * 10) / 10;
  return `${days} days`;
}

export function total(rows: { count: number }[]): number {
  return rows.reduce((sum, r) => sum + r.count, 0);
}
