import { describe, expect, it } from 'vitest';
import { differenceWords, plainDecimal, ratioWords, type FigureSummary } from './claimFigure';

const summary = (unit: string, difference: string, ratio: string | null): FigureSummary => ({
  claimed: { value: '4', value_max: null, unit, measure: '', place: null, period: null, as_stated: '4%' },
  checked: { value: '57', value_max: null, period: null, source_id: null },
  claimed_display: '4%',
  checked_display: '57%',
  comparison: { difference, ratio },
});

describe('plainDecimal', () => {
  it('reads numbers as people type them', () => {
    expect(plainDecimal(' 57 ')).toBe('57');
    expect(plainDecimal('37,8')).toBe('37.8');
    expect(plainDecimal('100,000')).toBe('100000');
    expect(plainDecimal('100 000')).toBe('100000');
    expect(plainDecimal('1,234.5')).toBe('1234.5');
    expect(plainDecimal('1.234,5')).toBe('1234.5');
    expect(plainDecimal('12%')).toBe('12%');
  });
});

describe('differenceWords and ratioWords', () => {
  it('say how far the fact is from the claim', () => {
    expect(differenceWords(summary('percent', '53', '14.25'))).toBe('53 percentage points more than claimed');
    expect(differenceWords(summary('troops', '-65000', '0.48'))).toBe('65,000 troops fewer than claimed');
    expect(differenceWords(summary('percent', '0', '1'))).toBe('The same as claimed');
    expect(ratioWords(summary('percent', '53', '14.25'))).toBe('14.25 times the claimed figure');
    expect(ratioWords(summary('people', '12', null))).toBeNull();
    expect(differenceWords({ ...summary('percent', '1', '1'), comparison: null })).toBeNull();
  });
});
