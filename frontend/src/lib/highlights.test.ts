import { describe, expect, it } from 'vitest';
import { charSpanToUtf16, selectionToCharSpan } from './textOffsets';
import { runs, trimSelection } from './highlights';

describe('runs', () => {
  it('cuts overlapping claims into runs that list every covering claim', () => {
    expect(
      runs(20, [
        { id: 'a', start: 2, end: 10 },
        { id: 'b', start: 5, end: 15 },
      ]),
    ).toEqual([
      { start: 0, end: 2, ids: [] },
      { start: 2, end: 5, ids: ['a'] },
      { start: 5, end: 10, ids: ['a', 'b'] },
      { start: 10, end: 15, ids: ['b'] },
      { start: 15, end: 20, ids: [] },
    ]);
  });

  it('covers the whole text once, ignoring empty and out-of-range spans', () => {
    const out = runs(10, [
      { id: 'a', start: 4, end: 4 },
      { id: 'b', start: 8, end: 50 },
    ]);
    expect(out).toEqual([
      { start: 0, end: 8, ids: [] },
      { start: 8, end: 10, ids: ['b'] },
    ]);
  });

  it('is just the text when there are no claims', () => {
    expect(runs(5, [])).toEqual([{ start: 0, end: 5, ids: [] }]);
    expect(runs(0, [])).toEqual([]);
  });

  it('highlights the right characters in Cyrillic text with emoji', () => {
    const text = 'Путін 👍 сказав: «Зеленський має 4% рейтингу» 🇺🇦.';
    const quote = 'Зеленський має 4% рейтингу';
    const utf16Start = text.indexOf(quote);
    // The server's span, in characters: the thumbs up counts once.
    const span = selectionToCharSpan(text, utf16Start, utf16Start + quote.length);
    expect(span.span_start).toBe(utf16Start - 1);
    const { start, end } = charSpanToUtf16(text, span);
    const [, marked] = runs(text.length, [{ id: 'c', start, end }]);
    expect(text.slice(marked?.start, marked?.end)).toBe(quote);
  });
});

describe('trimSelection', () => {
  it('drops white space at both ends of a selection', () => {
    const text = 'a  4% approval rating \n b';
    expect(trimSelection(text, 1, 22)).toEqual({ start: 3, end: 21 });
    expect(text.slice(3, 21)).toBe('4% approval rating');
  });

  it('normalises a backwards selection and collapses blank ones', () => {
    expect(trimSelection('abc', 3, 1)).toEqual({ start: 1, end: 3 });
    expect(trimSelection('a   b', 1, 4)).toEqual({ start: 4, end: 4 });
  });
});
