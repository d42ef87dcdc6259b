import { describe, expect, it } from 'vitest';
import type { Review } from '../api/reviews';
import { currentProposals, ratingsDiffer } from './reviews';

const review = (id: string, reviewer: string, rating: string | null, state: string): Review => ({
  id,
  reviewer_id: reviewer,
  reviewer_name: reviewer,
  rating,
  summary: '',
  explanation: '',
  explanation_html: '',
  state,
  submitted_at: state === 'draft' ? null : '2026-12-01T10:00:00Z',
  created_at: '2026-12-01T09:00:00Z',
  updated_at: '2026-12-01T10:00:00Z',
  version: 1,
});

describe('independent reviews', () => {
  it('take each reviewer’s latest proposal', () => {
    const list = [review('1', 'ana', 'false', 'returned'), review('2', 'bo', 'true', 'submitted'), review('3', 'ana', 'mostly_false', 'submitted')];
    expect(currentProposals(list).map((r) => r.id)).toEqual(['3', '2']);
  });

  it('see a disagreement only among proposals that are in', () => {
    expect(ratingsDiffer([review('1', 'ana', 'false', 'submitted'), review('2', 'bo', 'true', 'submitted')])).toBe(true);
    expect(ratingsDiffer([review('1', 'ana', 'false', 'submitted'), review('2', 'bo', 'false', 'chosen')])).toBe(false);
    expect(ratingsDiffer([review('1', 'ana', 'false', 'submitted'), review('2', 'bo', 'true', 'draft')])).toBe(false);
  });
});
