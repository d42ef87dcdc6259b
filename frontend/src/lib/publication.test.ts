import { describe, expect, it } from 'vitest';
import type { Claim } from '../api/client';
import { blockedClaimId, publicPath, publishPlan } from './publication';

const claim = (id: string, status: Claim['status']) => ({ id, status }) as Claim;

describe('publishPlan', () => {
  it('sorts claims by what publishing does with them', () => {
    const plan = publishPlan([
      claim('a', 'approved'),
      claim('b', 'published'),
      claim('c', 'in_review'),
      claim('d', 'dropped'),
      claim('e', 'draft'),
    ]);
    expect(plan.approved.map((c) => c.id)).toEqual(['a']);
    expect(plan.published.map((c) => c.id)).toEqual(['b']);
    expect(plan.blocking.map((c) => c.id)).toEqual(['c', 'e']);
    expect(plan.dropped.map((c) => c.id)).toEqual(['d']);
  });
});

describe('blockedClaimId', () => {
  it('reads the claim id from a blocker field', () => {
    expect(blockedClaimId('claims[3ddd2623-a7bb-42f3-9e8f-638bfd6fedd2]')).toBe(
      '3ddd2623-a7bb-42f3-9e8f-638bfd6fedd2',
    );
  });
  it('ignores other fields', () => {
    expect(blockedClaimId('claims')).toBeNull();
    expect(blockedClaimId('headline')).toBeNull();
  });
});

describe('publicPath', () => {
  it('encodes the slug', () => {
    expect(publicPath('a b')).toBe('/p/a%20b');
    expect(publicPath('plain-slug')).toBe('/p/plain-slug');
  });
});
