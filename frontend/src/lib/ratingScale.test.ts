import { describe, expect, it } from 'vitest';
import { keyFromLabel, move, newRow, sameScale, toRows, toScale } from './ratingScale';

const scale = [
  { key: 'false', label: 'False', ordinal: 50, claim_review_value: 1, color: '#CF222E', description: 'No.' },
  { key: 'true', label: 'True', ordinal: 10, claim_review_value: 5, color: '#1a7f37', description: 'Yes.' },
  { key: 'unproven', label: 'Unproven', ordinal: 80, claim_review_value: null, color: '#57606a' },
];

describe('toRows and toScale', () => {
  it('sorts by ordinal and renumbers in steps of ten', () => {
    const out = toScale(toRows(scale));
    expect(out.map((r) => r.key)).toEqual(['true', 'false', 'unproven']);
    expect(out.map((r) => r.ordinal)).toEqual([10, 20, 30]);
  });

  it('keeps null for off-scale labels and numbers for on-scale ones', () => {
    const out = toScale(toRows(scale));
    expect(out.map((r) => r.claim_review_value)).toEqual([5, 1, null]);
  });

  it('lower-cases colours, trims text and defaults the description', () => {
    const rows = toRows(scale);
    rows[0]!.label = '  True ';
    const out = toScale(rows);
    expect(out[0]!.label).toBe('True');
    expect(out[1]!.color).toBe('#cf222e');
    expect(out[2]!.description).toBe('');
  });

  it('gives every row its own id', () => {
    const ids = [...toRows(scale), newRow()].map((r) => r.rowId);
    expect(new Set(ids).size).toBe(4);
  });
});

describe('move', () => {
  it('moves an item up and down', () => {
    expect(move(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
  });

  it('clamps the target and ignores impossible moves', () => {
    const list = ['a', 'b'];
    expect(move(list, 1, 5)).toBe(list);
    expect(move(list, 0, -1)).toBe(list);
    expect(move(list, 3, 0)).toBe(list);
  });
});

describe('keyFromLabel', () => {
  it('makes a valid key', () => {
    expect(keyFromLabel('Mostly false')).toBe('mostly_false');
    expect(keyFromLabel('  Pants on fire!  ')).toBe('pants_on_fire');
    expect(keyFromLabel('Écart')).toBe('ecart');
    expect(keyFromLabel('4 Pinocchios')).toBe('pinocchios');
  });
});

describe('sameScale', () => {
  it('ignores row ids but not order', () => {
    const a = toRows(scale);
    const b = toRows(scale);
    expect(sameScale(a, b)).toBe(true);
    expect(sameScale(a, [b[1]!, b[0]!, b[2]!])).toBe(false);
  });
});
