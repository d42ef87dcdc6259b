import { describe, expect, it } from 'vitest';
import { dueInWords, formatDateTime, spanInWords } from './time';

describe('dueInWords', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  it('says how long is left', () => {
    expect(dueInWords('2026-12-02T13:00:00Z', now, 'en-GB')).toBe('due in 3 hours');
    expect(dueInWords('2026-12-02T10:01:30Z', now, 'en-GB')).toBe('due in 1 minute');
    expect(dueInWords('2026-12-05T11:00:00Z', now, 'en-GB')).toBe('due in 3 days');
  });
  it('says how late it is', () => {
    expect(dueInWords('2026-11-30T09:00:00Z', now, 'en-GB')).toBe('overdue by 2 days');
    expect(dueInWords('2026-12-02T09:59:50Z', now, 'en-GB')).toBe('overdue by 1 minute');
  });
  it('rounds down to the largest unit', () => {
    expect(spanInWords(47 * 3_600_000, 'en-GB')).toBe('1 day');
    expect(spanInWords(119 * 60_000, 'en-GB')).toBe('1 hour');
  });
});

describe('formatDateTime', () => {
  it('names the zone, so 01:33 in Kyiv is 2 December there', () => {
    const text = formatDateTime('2026-12-01T23:33:00Z', 'en-GB', 'Europe/Kyiv');
    expect(text).toContain('2 Dec 2026');
    expect(text).toContain('01:33');
    expect(text).toMatch(/EET|GMT\+2/);
  });
  it('says UTC in UTC', () => {
    expect(formatDateTime('2026-12-01T23:33:00Z', 'en-GB', 'UTC')).toMatch(/1 Dec 2026.*23:33 UTC/);
  });
});
