import { describe, expect, it } from 'vitest';
import {
  charSpanToUtf16,
  codePointLength,
  codePointToUtf16,
  selectionToCharSpan,
  utf16ToCodePoint,
} from './textOffsets';

const UKRAINIAN = 'Зеленський має 4% рейтингу';
const THUMBS = '👍🏽'; // U+1F44D U+1F3FD: 2 code points, 4 UTF-16 units
const FLAG = '🇺🇦'; // U+1F1FA U+1F1E6: 2 code points, 4 UTF-16 units
const CURLY = '“Це неправда”, — сказав він.';

describe('fixtures', () => {
  it('have the lengths the tests assume', () => {
    expect(THUMBS.length).toBe(4);
    expect(Array.from(THUMBS)).toHaveLength(2);
    expect(FLAG.length).toBe(4);
    expect(Array.from(FLAG)).toHaveLength(2);
  });
});

describe('codePointLength', () => {
  it('equals the UTF-16 length for BMP-only text', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength(UKRAINIAN)).toBe(UKRAINIAN.length);
    expect(codePointLength(UKRAINIAN)).toBe(26);
    expect(codePointLength(CURLY)).toBe(CURLY.length);
  });

  it('counts a surrogate pair as one character', () => {
    expect(codePointLength(THUMBS)).toBe(2);
    expect(codePointLength(FLAG)).toBe(2);
    expect(codePointLength(`a${THUMBS}b${FLAG}c`)).toBe(7);
  });

  it('matches Array.from (the String iterator) including lone surrogates', () => {
    for (const s of [UKRAINIAN, THUMBS, FLAG, CURLY, 'x\uD800y', '\uDC00\uD83D', '\uD83D']) {
      expect(codePointLength(s)).toBe(Array.from(s).length);
    }
  });
});

describe('utf16ToCodePoint', () => {
  it('is the identity on Cyrillic text (all BMP)', () => {
    for (let i = 0; i <= UKRAINIAN.length; i++) {
      expect(utf16ToCodePoint(UKRAINIAN, i)).toBe(i);
    }
    // "4%" starts at UTF-16 index 15, and so at character 15.
    expect(UKRAINIAN.indexOf('4%')).toBe(15);
    expect(utf16ToCodePoint(UKRAINIAN, 15)).toBe(15);
  });

  it('counts each surrogate pair once', () => {
    const text = `Так ${THUMBS} ok`; // "Так " = 4 units
    expect(utf16ToCodePoint(text, 4)).toBe(4); // before 👍
    expect(utf16ToCodePoint(text, 6)).toBe(5); // between 👍 and 🏽
    expect(utf16ToCodePoint(text, 8)).toBe(6); // after 🏽
    expect(utf16ToCodePoint(text, text.length)).toBe(codePointLength(text));
  });

  it('snaps an index inside a surrogate pair back to the pair start', () => {
    expect(utf16ToCodePoint(THUMBS, 1)).toBe(0);
    expect(utf16ToCodePoint(THUMBS, 3)).toBe(1);
    expect(utf16ToCodePoint(FLAG, 1)).toBe(0);
    expect(utf16ToCodePoint(FLAG, 3)).toBe(1);
  });

  it('clamps out-of-range indices', () => {
    expect(utf16ToCodePoint(FLAG, -5)).toBe(0);
    expect(utf16ToCodePoint(FLAG, 100)).toBe(2);
    expect(utf16ToCodePoint(FLAG, Number.POSITIVE_INFINITY)).toBe(2);
    expect(utf16ToCodePoint(FLAG, Number.NEGATIVE_INFINITY)).toBe(0);
    expect(utf16ToCodePoint(FLAG, Number.NaN)).toBe(0);
    expect(utf16ToCodePoint('', 3)).toBe(0);
  });

  it('truncates fractional indices', () => {
    expect(utf16ToCodePoint(UKRAINIAN, 2.9)).toBe(2);
  });

  it('treats a lone surrogate as one character', () => {
    const text = 'a\uD800b'; // lone high surrogate followed by a BMP letter
    expect(utf16ToCodePoint(text, 2)).toBe(2);
    expect(utf16ToCodePoint(text, 3)).toBe(3);
  });
});

describe('codePointToUtf16', () => {
  it('is the identity on BMP text', () => {
    for (let i = 0; i <= CURLY.length; i++) {
      expect(codePointToUtf16(CURLY, i)).toBe(i);
    }
  });

  it('steps over surrogate pairs', () => {
    const text = `${FLAG} Україна ${THUMBS}`;
    expect(codePointToUtf16(text, 0)).toBe(0);
    expect(codePointToUtf16(text, 1)).toBe(2); // between 🇺 and 🇦
    expect(codePointToUtf16(text, 2)).toBe(4); // after the flag
    expect(codePointToUtf16(text, 3)).toBe(5); // after the space
    expect(text.slice(codePointToUtf16(text, 3), codePointToUtf16(text, 10))).toBe('Україна');
    expect(codePointToUtf16(text, codePointLength(text))).toBe(text.length);
  });

  it('clamps out-of-range offsets', () => {
    expect(codePointToUtf16(THUMBS, -1)).toBe(0);
    expect(codePointToUtf16(THUMBS, 3)).toBe(4);
    expect(codePointToUtf16(THUMBS, 1e9)).toBe(4);
    expect(codePointToUtf16(THUMBS, Number.NaN)).toBe(0);
    expect(codePointToUtf16('', 1)).toBe(0);
  });

  it('round-trips with utf16ToCodePoint on every character boundary', () => {
    const text = `${CURLY} ${THUMBS}${FLAG} ${UKRAINIAN}`;
    for (let cp = 0; cp <= codePointLength(text); cp++) {
      expect(utf16ToCodePoint(text, codePointToUtf16(text, cp))).toBe(cp);
    }
  });

  it('agrees with Array.from slicing', () => {
    const text = `“${THUMBS}” — ${FLAG}!`;
    const chars = Array.from(text);
    for (let a = 0; a <= chars.length; a++) {
      for (let b = a; b <= chars.length; b++) {
        const sliced = text.slice(codePointToUtf16(text, a), codePointToUtf16(text, b));
        expect(sliced).toBe(chars.slice(a, b).join(''));
      }
    }
  });
});

describe('selectionToCharSpan', () => {
  it('maps a selection in Ukrainian text', () => {
    const start = UKRAINIAN.indexOf('4%');
    const end = start + '4% рейтингу'.length;
    expect(selectionToCharSpan(UKRAINIAN, start, end)).toEqual({ span_start: 15, span_end: 26 });
  });

  it('maps a selection after emoji to server offsets', () => {
    const text = `${THUMBS}${FLAG} “Зеленський має 4% рейтингу”`;
    const quoteStart = text.indexOf('“');
    const quoteEnd = text.indexOf('”') + 1;
    expect(quoteStart).toBe(9); // 8 UTF-16 units of emoji + 1 space
    const span = selectionToCharSpan(text, quoteStart, quoteEnd);
    expect(span).toEqual({ span_start: 5, span_end: 5 + 28 });
    // The server would extract exactly the quoted text with these offsets.
    expect(Array.from(text).slice(span.span_start, span.span_end).join('')).toBe(
      `“${UKRAINIAN}”`,
    );
  });

  it('covers a whole emoji when the selection ends cut through a pair', () => {
    const text = `ok ${THUMBS}!`; // "ok " = 3 units; 👍 = 3..5, 🏽 = 5..7, "!" = 7
    expect(selectionToCharSpan(text, 0, 4)).toEqual({ span_start: 0, span_end: 4 });
    expect(selectionToCharSpan(text, 4, 6)).toEqual({ span_start: 3, span_end: 5 });
    expect(selectionToCharSpan(text, 3, 7)).toEqual({ span_start: 3, span_end: 5 });
  });

  it('normalises a backwards selection', () => {
    expect(selectionToCharSpan(UKRAINIAN, 10, 0)).toEqual({ span_start: 0, span_end: 10 });
    expect(selectionToCharSpan(FLAG, 4, 2)).toEqual({ span_start: 1, span_end: 2 });
  });

  it('keeps a collapsed selection empty', () => {
    expect(selectionToCharSpan(THUMBS, 2, 2)).toEqual({ span_start: 1, span_end: 1 });
    expect(selectionToCharSpan(THUMBS, 1, 1)).toEqual({ span_start: 0, span_end: 0 });
  });

  it('clamps out-of-range ends', () => {
    expect(selectionToCharSpan(FLAG, -3, 99)).toEqual({ span_start: 0, span_end: 2 });
    expect(selectionToCharSpan(UKRAINIAN, 20, 1000)).toEqual({ span_start: 20, span_end: 26 });
    expect(selectionToCharSpan('', -1, 1)).toEqual({ span_start: 0, span_end: 0 });
  });

  it('handles curly quotes as single characters', () => {
    const start = CURLY.indexOf('“');
    const end = CURLY.indexOf('”') + 1;
    expect(selectionToCharSpan(CURLY, start, end)).toEqual({ span_start: 0, span_end: 13 });
  });
});

describe('charSpanToUtf16', () => {
  it('inverts selectionToCharSpan on character boundaries', () => {
    const text = `${FLAG} Зеленський ${THUMBS} “має”`;
    const start = text.indexOf('Зеленський');
    const end = text.indexOf('”') + 1;
    const span = selectionToCharSpan(text, start, end);
    expect(charSpanToUtf16(text, span)).toEqual({ start, end });
  });

  it('clamps and normalises', () => {
    expect(charSpanToUtf16(THUMBS, { span_start: 5, span_end: -1 })).toEqual({ start: 0, end: 4 });
  });
});
