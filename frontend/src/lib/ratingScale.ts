/** Pure helpers for the rating scale editor. */
import type { Rating } from '../api/client';

/** A row being edited: the rating plus a stable id for React keys and labels. */
export interface ScaleRow {
  rowId: string;
  key: string;
  label: string;
  description: string;
  color: string;
  /** '' for an off-scale label, else '1'..'5'. */
  value: string;
  /** The key the row had on the server, if it came from there. */
  originalKey: string | null;
}

let counter = 0;
function nextRowId(): string {
  counter += 1;
  return `rating-row-${counter}`;
}

export function toRows(scale: Rating[]): ScaleRow[] {
  return [...scale]
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((r) => ({
      rowId: nextRowId(),
      key: r.key,
      label: r.label,
      description: r.description ?? '',
      color: r.color,
      value: r.claim_review_value == null ? '' : String(r.claim_review_value),
      originalKey: r.key,
    }));
}

export function newRow(): ScaleRow {
  return { rowId: nextRowId(), key: '', label: '', description: '', color: '#57606a', value: '', originalKey: null };
}

/** The PUT body: the rows in order, ordinals 10, 20, 30… */
export function toScale(rows: ScaleRow[]): Rating[] {
  return rows.map((r, i) => ({
    key: r.key.trim(),
    label: r.label.trim(),
    ordinal: (i + 1) * 10,
    claim_review_value: r.value === '' ? null : Number(r.value),
    color: r.color.toLowerCase(),
    description: r.description.trim(),
  }));
}

/** The list with the item at `from` moved to `to` (clamped); the same list when nothing moves. */
export function move<T>(list: T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(list.length - 1, to));
  if (from < 0 || from >= list.length || from === target) return list;
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(target, 0, item as T);
  return copy;
}

/** A key suggested from a label: "Mostly false" → "mostly_false". */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^[0-9_]+/, '')
    .slice(0, 40);
  return key;
}

/** Whether two row lists would send the same scale. */
export function sameScale(a: ScaleRow[], b: ScaleRow[]): boolean {
  return JSON.stringify(toScale(a)) === JSON.stringify(toScale(b));
}
