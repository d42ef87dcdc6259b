/**
 * Pure helpers for the claim page: which workflow buttons to show and how they read,
 * the quote cut out of its article, and the conversions a `datetime-local` input needs.
 */
import type { Action, HistoryEvent, Schemas } from '../api/client';
import { changedFields, isRecord } from './conflict';
import { charSpanToUtf16, codePointLength, codePointToUtf16, type CharSpan } from './textOffsets';

/** Button labels of the actions sent to `POST /claims/{id}/transitions`, in display order. */
export const TRANSITION_LABELS = {
  start: 'Start review',
  submit: 'Submit for approval',
  withdraw: 'Withdraw',
  approve: 'Approve',
  request_changes: 'Request changes',
  reopen: 'Reopen',
  drop: 'Drop',
  restore: 'Restore',
} as const satisfies Partial<Record<Action, string>>;

export type TransitionAction = keyof typeof TRANSITION_LABELS;

/** What to announce after a transition went through. */
export const TRANSITION_DONE: Record<TransitionAction, string> = {
  start: 'Review started.',
  submit: 'Submitted for approval.',
  withdraw: 'Withdrawn from approval.',
  approve: 'Approved.',
  request_changes: 'Sent back to the reviewers.',
  reopen: 'Reopened.',
  drop: 'Dropped.',
  restore: 'Restored.',
};

/** Actions that need a comment, with the words of the button that sends them. */
export const COMMENT_ACTIONS = {
  request_changes: 'Send back to reviewer',
  reopen: 'Reopen',
  drop: 'Drop claim',
} as const satisfies Partial<Record<TransitionAction, string>>;

export function needsComment(action: TransitionAction): action is keyof typeof COMMENT_ACTIONS {
  return action in COMMENT_ACTIONS;
}

/**
 * The transition buttons for a claim's `allowed_actions`: everything but assign/unassign
 * (the assignment form does those) and publish (done per article), in a stable order.
 */
export function transitionActions(allowed: readonly Action[]): TransitionAction[] {
  return (Object.keys(TRANSITION_LABELS) as TransitionAction[]).filter((a) => allowed.includes(a));
}

/** "in_review" → "In review". */
export function humanize(value: string): string {
  const words = value.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The badge variant (`badge--…` class suffix) for a claim status, if any. */
export function statusTone(status: string): 'ok' | 'warn' | 'bad' | undefined {
  switch (status) {
    case 'approved':
    case 'published':
      return 'ok';
    case 'submitted':
      return 'warn';
    case 'dropped':
      return 'bad';
    default:
      return undefined;
  }
}

export const SOURCE_KINDS = [
  'primary',
  'official_data',
  'expert',
  'secondary',
  'other',
] as const satisfies readonly Schemas['SourceKind'][];

export const STANCES = ['supports', 'refutes', 'context'] as const satisfies readonly Schemas['Stance'][];

// Compile-time check that the lists above name every value of the schema's enums.
type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : Exclude<All, Listed>;
const kindsComplete: Missing<Schemas['SourceKind'], (typeof SOURCE_KINDS)[number]> = true;
const stancesComplete: Missing<Schemas['Stance'], (typeof STANCES)[number]> = true;
void kindsComplete;
void stancesComplete;

/** The quote with some of the article around it, as UTF-16 string pieces ready to render. */
export interface QuoteContext {
  before: string;
  quote: string;
  after: string;
  /** Text was cut off before `before` / after `after`. */
  clippedStart: boolean;
  clippedEnd: boolean;
  /** The text at the span is not the claim's quote (the article changed). */
  mismatch: boolean;
}

/**
 * Cuts the span (server offsets, in code points) out of `body` with its paragraph
 * around it: at most about `radius` characters on each side, never across a line break,
 * and cut at a sentence end where one lies in the window (else at the nearest word break
 * within `slack` characters), so a reader sees whole sentences. Never splits a
 * surrogate pair.
 */
export function quoteInContext(
  body: string,
  span: CharSpan,
  quote: string,
  radius = 400,
  slack = 25,
): QuoteContext {
  const { start, end } = charSpanToUtf16(body, span);
  const length = codePointLength(body);
  const spanStartCp = Math.min(Math.max(0, Math.trunc(span.span_start)), length);
  const spanEndCp = Math.min(Math.max(spanStartCp, Math.trunc(span.span_end)), length);

  const paragraphStart = body.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
  const nextBreak = body.indexOf('\n', end);
  const paragraphEnd = nextBreak < 0 ? body.length : nextBreak;
  const startsParagraph = start === 0 || body[start - 1] === '\n';

  let from = startsParagraph
    ? start
    : Math.max(paragraphStart, codePointToUtf16(body, Math.max(0, Math.min(spanStartCp, spanEndCp) - radius)));
  let to = Math.min(paragraphEnd, codePointToUtf16(body, Math.min(length, Math.max(spanStartCp, spanEndCp) + radius)));
  if (to < end) to = end;

  if (from > paragraphStart) {
    // Start at the first sentence that begins inside the window, else after a word break.
    const window = body.slice(from, start);
    const sentence = /[.!?…]["»”’)]*\s+/.exec(window);
    if (sentence) from += sentence.index + sentence[0].length;
    else {
      const m = /\s/.exec(window.slice(0, slack));
      if (m) from += m.index + 1;
    }
  }
  if (to < paragraphEnd) {
    // End after the last sentence that ends inside the window, else at a word break.
    const window = body.slice(end, to);
    let last = -1;
    for (const m of window.matchAll(/[.!?…]["»”’)]*(?=\s)/g)) last = m.index + m[0].length;
    if (last >= 0) to = end + last;
    else {
      const lo = Math.max(end, to - slack);
      const idx = body.slice(lo, to).search(/\s\S*$/);
      if (idx >= 0) to = lo + idx;
    }
  }

  const text = body.slice(start, end);
  return {
    before: body.slice(from, start).replace(/^\s+/, ''),
    quote: text,
    after: body.slice(end, to).replace(/\s+$/, ''),
    clippedStart: from > paragraphStart,
    clippedEnd: to < paragraphEnd,
    mismatch: text !== quote,
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A Date as a `datetime-local` input value (local time, minutes). */
export function toDatetimeLocal(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** A `datetime-local` value (local time) as an RFC 3339 UTC time, or null when empty or invalid. */
export function datetimeLocalToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const date = new Date(value); // no offset: parsed as local time
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A default due time: `days` after `now`, at `hour` o'clock local time. */
export function defaultDue(now: Date, days = 2, hour = 17): string {
  const due = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, hour, 0);
  return toDatetimeLocal(due);
}

/** One field an audit event changed. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Fields every change touches; showing them would only hide the real change. */
const BOOKKEEPING = new Set(['version', 'updated_at']);

/**
 * What an audit event changed, field by field, in the order the record lists them: every
 * field whose value differs (so every field of a creation or a deletion).
 */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !BOOKKEEPING.has(k));
  return changedFields(b, a, keys).map((field) => ({ field, before: b[field] ?? null, after: a[field] ?? null }));
}

/** A changed value as text: "—" for nothing, strings as they are, the rest as JSON. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, null, 2);
}

/** History events, newest first (the API sends them oldest first); ties keep a stable order. */
export function newestFirst(events: readonly HistoryEvent[]): HistoryEvent[] {
  return events
    .map((e, i) => ({ e, i, t: Date.parse(e.at) }))
    .sort((a, b) => (b.t - a.t) || (b.i - a.i))
    .map(({ e }) => e);
}

/** How many characters (code points, as the server counts) are left of `max`; negative when over. */
export function charactersLeft(text: string, max: number): number {
  return max - codePointLength(text);
}

/** `value` trimmed, or null when nothing is left (for optional request fields). */
export function orNull(value: string): string | null {
  const t = value.trim();
  return t ? t : null;
}
