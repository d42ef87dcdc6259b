import { describe, expect, it } from 'vitest';
import { blockedClaimId, publicPath } from './publication';

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
