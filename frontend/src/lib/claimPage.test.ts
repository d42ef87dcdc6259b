import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../api/client';
import {
  charactersLeft,
  datetimeLocalToIso,
  defaultDue,
  fieldChanges,
  humanize,
  needsComment,
  newestFirst,
  orNull,
  quoteInContext,
  showValue,
  toDatetimeLocal,
  transitionActions,
} from './claimPage';

describe('transitionActions', () => {
  it('drops assign, unassign and publish and keeps a stable order', () => {
    expect(
      transitionActions(['drop', 'assign', 'unassign', 'publish', 'reopen', 'approve', 'request_changes']),
    ).toEqual(['approve', 'request_changes', 'reopen', 'drop']);
  });

  it('is empty when nothing is allowed', () => {
    expect(transitionActions([])).toEqual([]);
    expect(transitionActions(['assign', 'publish'])).toEqual([]);
  });

  it('knows which actions need a comment', () => {
    expect(needsComment('request_changes')).toBe(true);
    expect(needsComment('reopen')).toBe(true);
    expect(needsComment('drop')).toBe(true);
    expect(needsComment('approve')).toBe(false);
    expect(needsComment('start')).toBe(false);
  });
});

describe('humanize', () => {
  it('turns snake case into a sentence', () => {
    expect(humanize('in_review')).toBe('In review');
    expect(humanize('official_data')).toBe('Official data');
    expect(humanize('')).toBe('');
  });
});

describe('quoteInContext', () => {
  it('returns the whole body when it is short', () => {
    const body = 'He said the moon is cheese. Nobody agreed.';
    const q = quoteInContext(body, { span_start: 8, span_end: 26 }, 'the moon is cheese');
    expect(q).toEqual({
      before: 'He said ',
      quote: 'the moon is cheese',
      after: '. Nobody agreed.',
      clippedStart: false,
      clippedEnd: false,
      mismatch: false,
    });
  });

  it('counts offsets in code points, not UTF-16 units', () => {
    const body = '👍👍 Zelensky has 4% 👍 done';
    // "👍👍 " is 3 code points but 5 UTF-16 units.
    const q = quoteInContext(body, { span_start: 3, span_end: 19 }, 'Zelensky has 4% ');
    expect(q.quote).toBe('Zelensky has 4% ');
    expect(q.before).toBe('👍👍 ');
    expect(q.after).toBe('👍 done');
    expect(q.mismatch).toBe(false);
  });

  it('clips long text at word breaks on both sides', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const body = `${words} QUOTE HERE ${words}`;
    const start = words.length + 1;
    const q = quoteInContext(body, { span_start: start, span_end: start + 10 }, 'QUOTE HERE', 50, 20);
    expect(q.quote).toBe('QUOTE HERE');
    expect(q.clippedStart).toBe(true);
    expect(q.clippedEnd).toBe(true);
    expect(q.before.length).toBeLessThanOrEqual(51);
    expect(q.before.length).toBeGreaterThan(20);
    expect(q.after.length).toBeLessThanOrEqual(51);
    expect(q.after.length).toBeGreaterThan(20);
    // No word is cut in half.
    expect(q.before).toMatch(/^word\d+ /);
    expect(q.after).toMatch(/ word\d+$/);
  });

  it('keeps to the paragraph and cuts at sentence ends', () => {
    const filler = 'Filler sentence number one is here. '.repeat(20);
    const body = `Headline paragraph.\n${filler}The army has 900 tanks. Others disagree. ${filler}\nNext paragraph.`;
    const start = body.indexOf('The army');
    const q = quoteInContext(body, { span_start: start, span_end: start + 23 }, 'The army has 900 tanks.', 120);
    expect(q.quote).toBe('The army has 900 tanks.');
    expect(q.before).toMatch(/^Filler sentence/);
    expect(q.before).toMatch(/here\. $/);
    expect(q.after).toMatch(/^ Others disagree\./);
    expect(q.after).toMatch(/here\.$/);
    expect(q.clippedStart).toBe(true);
    expect(q.clippedEnd).toBe(true);
    expect(q.before + q.quote + q.after).not.toContain('\n');
  });

  it('shows a short paragraph whole and nothing of the next one', () => {
    const body = 'First paragraph.\nHe said 4% approve. That is wrong.\nThird paragraph.';
    const start = body.indexOf('4%');
    const q = quoteInContext(body, { span_start: start, span_end: start + 10 }, '4% approve');
    expect(q).toMatchObject({
      before: 'He said ',
      after: '. That is wrong.',
      clippedStart: false,
      clippedEnd: false,
    });
  });

  it('never splits a surrogate pair at the cut', () => {
    const body = `${'😀'.repeat(100)}QUOTE${'😀'.repeat(100)}`;
    const q = quoteInContext(body, { span_start: 100, span_end: 105 }, 'QUOTE', 10, 0);
    expect(q.before).toBe('😀'.repeat(10));
    expect(q.after).toBe('😀'.repeat(10));
  });

  it('flags a span that no longer holds the quote, and clamps a span past the end', () => {
    const q = quoteInContext('short text', { span_start: 6, span_end: 40 }, 'something else');
    expect(q.quote).toBe('text');
    expect(q.mismatch).toBe(true);
    expect(q.clippedEnd).toBe(false);
  });
});

describe('datetime-local conversions', () => {
  it('round-trips a local time', () => {
    const date = new Date(2026, 10, 28, 9, 5);
    const value = toDatetimeLocal(date);
    expect(value).toBe('2026-11-28T09:05');
    expect(datetimeLocalToIso(value)).toBe(date.toISOString());
  });

  it('rejects empty and malformed values', () => {
    expect(datetimeLocalToIso('')).toBeNull();
    expect(datetimeLocalToIso('tomorrow')).toBeNull();
    expect(datetimeLocalToIso('2026-13-45T99:99')).toBeNull();
  });

  it('defaults to an afternoon some days ahead, across month ends', () => {
    expect(defaultDue(new Date(2026, 0, 1, 10, 30), 2)).toBe('2026-01-03T17:00');
    expect(defaultDue(new Date(2026, 0, 31, 23, 59), 1, 9)).toBe('2026-02-01T09:00');
  });
});

describe('newestFirst', () => {
  const ev = (id: string, at: string): HistoryEvent => ({
    id,
    at,
    action: 'update',
    entity: 'claim',
    entity_id: 'c',
  });

  it('orders by time, newest first, later events first on ties', () => {
    const events = [
      ev('a', '2026-01-01T10:00:00Z'),
      ev('b', '2026-01-01T12:00:00Z'),
      ev('c', '2026-01-01T12:00:00Z'),
      ev('d', '2026-01-01T11:00:00Z'),
    ];
    expect(newestFirst(events).map((e) => e.id)).toEqual(['c', 'b', 'd', 'a']);
    expect(events.map((e) => e.id)).toEqual(['a', 'b', 'c', 'd']); // input untouched
  });
});

describe('charactersLeft and orNull', () => {
  it('counts code points', () => {
    expect(charactersLeft('abc', 5)).toBe(2);
    expect(charactersLeft('👍👍', 2)).toBe(0);
    expect(charactersLeft('abcdef', 5)).toBe(-1);
  });

  it('turns blank strings into null', () => {
    expect(orNull('  ')).toBeNull();
    expect(orNull(' x ')).toBe('x');
  });
});

describe('fieldChanges and showValue', () => {
  it('lists only the fields that differ, leaving out version and updated_at', () => {
    expect(
      fieldChanges(
        { rating: 'false', summary: 'Old', version: 1, updated_at: 'a', sources: ['x'] },
        { rating: 'mostly-false', summary: 'Old', version: 2, updated_at: 'b', sources: ['x'] },
      ),
    ).toEqual([{ field: 'rating', before: 'false', after: 'mostly-false' }]);
  });

  it('shows every field of a creation and of a deletion', () => {
    expect(fieldChanges(null, { body: 'Hi', version: 1 })).toEqual([{ field: 'body', before: null, after: 'Hi' }]);
    expect(fieldChanges({ url: 'https://a.test' }, null)).toEqual([
      { field: 'url', before: 'https://a.test', after: null },
    ]);
  });

  it('finds nothing when nothing but bookkeeping changed', () => {
    expect(fieldChanges({ version: 1 }, { version: 2 })).toEqual([]);
  });

  it('writes values as text', () => {
    expect(showValue(null)).toBe('—');
    expect(showValue('')).toBe('—');
    expect(showValue('urgent')).toBe('urgent');
    expect(showValue(3)).toBe('3');
    expect(showValue(false)).toBe('false');
    expect(showValue({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});
