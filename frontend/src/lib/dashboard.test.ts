import { describe, expect, it } from 'vitest';
import { formatHours, ratingRows, statusRows, total } from './dashboard';

describe('statusRows', () => {
  it('lists statuses in workflow order with labels and zeros', () => {
    const rows = statusRows({ submitted: 3, draft: 2 });
    expect(rows.map((r) => r.status)).toEqual([
      'draft',
      'assigned',
      'in_review',
      'submitted',
      'approved',
      'published',
      'dropped',
    ]);
    expect(rows.find((r) => r.status === 'in_review')).toEqual({ status: 'in_review', label: 'In review', count: 0 });
    expect(total(rows)).toBe(5);
  });

  it('keeps statuses it does not know at the end', () => {
    expect(statusRows({ archived: 1 }).at(-1)).toEqual({ status: 'archived', label: 'archived', count: 1 });
  });
});

describe('ratingRows', () => {
  const counts = [
    { rating: 'false', label: 'False', color: '#cf222e', count: 4 },
    { rating: 'true', label: 'True', color: '#1a7f37', count: 1 },
    { rating: 'gone', label: 'Gone', color: '#000000', count: 2 },
  ];
  const scale = [
    { key: 'true', label: 'Correct', ordinal: 10, color: '#00ff00' },
    { key: 'false', label: 'Wrong', ordinal: 20, color: '#ff0000' },
  ];

  it('takes labels and colours from the scale, in scale order', () => {
    expect(ratingRows(counts, scale)).toEqual([
      { rating: 'true', label: 'Correct', color: '#00ff00', count: 1 },
      { rating: 'false', label: 'Wrong', color: '#ff0000', count: 4 },
      { rating: 'gone', label: 'Gone', color: '#000000', count: 2 },
    ]);
  });

  it('keeps the stats order without a scale', () => {
    expect(ratingRows(counts, undefined).map((r) => r.rating)).toEqual(['false', 'true', 'gone']);
  });
});

describe('formatHours', () => {
  it('says when there is no figure', () => {
    expect(formatHours(null)).toBe('—');
    expect(formatHours(undefined)).toBe('—');
  });

  it('uses minutes, hours or days', () => {
    expect(formatHours(0.25)).toBe('15 minutes');
    expect(formatHours(1)).toBe('1 hour');
    expect(formatHours(5.26)).toBe('5.3 hours');
    expect(formatHours(72)).toBe('3 days');
  });
});
