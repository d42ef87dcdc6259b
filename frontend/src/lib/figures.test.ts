import { describe, expect, it } from 'vitest';
import { figureInWords } from './figures';

describe('figureInWords', () => {
  it('groups thousands and shows ranges', () => {
    expect(figureInWords({ value: '4', value_max: null, unit: 'percent' })).toBe('4 percent');
    expect(figureInWords({ value: '250000000', value_max: null, unit: 'EUR' })).toBe('250,000,000 EUR');
    expect(figureInWords({ value: '100000', value_max: '150000', unit: 'troops' })).toBe('100,000–150,000 troops');
    expect(figureInWords({ value: '1234.5', value_max: null, unit: 'UAH' })).toBe('1,234.5 UAH');
  });
});
