import { describe, expect, it } from 'vitest';
import { articleLabel } from './labels';

describe('articleLabel', () => {
  it('adds the outlet and the date, so equal titles differ', () => {
    const a = { title: 'Interview', outlet: 'Kyiv Independent', published_at: '2025-02-15T12:00:00Z', created_at: '2026-01-01T00:00:00Z' };
    const b = { ...a, outlet: null, published_at: null };
    expect(articleLabel(a)).toMatch(/^Interview — Kyiv Independent, .*2025/);
    expect(articleLabel(b)).toMatch(/^Interview — .*2026/);
    expect(articleLabel(a)).not.toBe(articleLabel(b));
  });
});
