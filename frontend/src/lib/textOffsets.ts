/**
 * Conversions between JavaScript string indices and server text offsets.
 *
 * JavaScript strings (and DOM Selection / Range offsets inside text nodes)
 * count UTF-16 code units: a character outside the Basic Multilingual Plane,
 * such as "👍" (U+1F44D), is a surrogate pair and takes two units.
 *
 * The Factdesk server counts text offsets in Unicode scalar values
 * (code points, like Rust's `str::chars()`): a surrogate pair is ONE
 * character. Every offset sent to or received from the API (`span_start`,
 * `span_end`, ...) must therefore go through these helpers.
 *
 * Notes that apply to every function here:
 *
 * - Out-of-range indices are clamped, never thrown on: anything below 0
 *   becomes 0, anything past the end becomes the end of the text. NaN is
 *   treated as 0 and fractional indices are truncated towards zero.
 * - A UTF-16 index that points between the two halves of a surrogate pair
 *   is not a character boundary. `utf16ToCodePoint` snaps it back to the
 *   start of that character; `selectionToCharSpan` widens the span so the
 *   whole character is covered (start snaps back, end snaps forward).
 * - A lone (unpaired) surrogate counts as one character, the same way
 *   `Array.from(text)` and `for...of` count it. (Such text cannot be stored
 *   by the server, whose strings are valid Unicode.)
 * - These functions work on code points, not on user-perceived characters
 *   (grapheme clusters): "👍🏽" is two code points (thumbs up + skin-tone
 *   modifier) and "🇺🇦" is two code points (two regional indicators), so an
 *   offset can legitimately fall between them.
 */

/** A half-open character range in server (code point) offsets. */
export interface CharSpan {
  span_start: number;
  span_end: number;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Truncates to an integer and clamps into [0, max]; NaN becomes 0. */
function clampIndex(index: number, max: number): number {
  if (Number.isNaN(index)) return 0;
  const whole = Math.trunc(index);
  if (whole <= 0) return 0;
  return whole >= max ? max : whole;
}

/** Whether a surrogate pair starts at UTF-16 index `i` of `text`. */
function pairStartsAt(text: string, i: number): boolean {
  return (
    i + 1 < text.length &&
    isHighSurrogate(text.charCodeAt(i)) &&
    isLowSurrogate(text.charCodeAt(i + 1))
  );
}

/** Number of Unicode code points in `text` (the server's length of it). */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += pairStartsAt(text, i) ? 2 : 1) {
    count += 1;
  }
  return count;
}

/**
 * Converts a UTF-16 index (a JavaScript string index) into a code point
 * offset, i.e. the number of whole characters that start before it.
 *
 * `utf16Index` is clamped to [0, text.length]. An index that falls inside a
 * surrogate pair maps to the offset of that pair (it snaps back to the start
 * of the character).
 */
export function utf16ToCodePoint(text: string, utf16Index: number): number {
  const target = clampIndex(utf16Index, text.length);
  let count = 0;
  let i = 0;
  while (i < target) {
    const step = pairStartsAt(text, i) ? 2 : 1;
    if (i + step > target) break; // target is inside this pair: snap back
    i += step;
    count += 1;
  }
  return count;
}

/**
 * Converts a code point offset (as used by the server) into a UTF-16 index
 * suitable for `String.prototype.slice` or DOM Range offsets.
 *
 * `cpIndex` is clamped to [0, codePointLength(text)], so the result is
 * always within [0, text.length] and never splits a surrogate pair.
 */
export function codePointToUtf16(text: string, cpIndex: number): number {
  const target = clampIndex(cpIndex, text.length); // cp count <= UTF-16 length
  let i = 0;
  let count = 0;
  while (count < target && i < text.length) {
    i += pairStartsAt(text, i) ? 2 : 1;
    count += 1;
  }
  return i;
}

/**
 * Converts a selection given in UTF-16 indices (e.g. from a textarea's
 * `selectionStart`/`selectionEnd`, or DOM Range offsets within one text
 * node) into the server's half-open `{span_start, span_end}` in code points.
 *
 * Both ends are clamped to the text. A backwards selection (start > end) is
 * normalised so that `span_start <= span_end`. If an end falls inside a
 * surrogate pair the span is widened to cover that whole character; an
 * empty (collapsed) selection stays empty.
 */
export function selectionToCharSpan(
  text: string,
  startUtf16: number,
  endUtf16: number,
): CharSpan {
  let start = clampIndex(startUtf16, text.length);
  let end = clampIndex(endUtf16, text.length);
  if (start > end) [start, end] = [end, start];

  const span_start = utf16ToCodePoint(text, start);
  let span_end = utf16ToCodePoint(text, end);
  // `end` strictly inside a pair snaps back; push it past the pair instead.
  // (A collapsed selection, start === end, stays empty.)
  if (end > start && pairStartsAt(text, end - 1)) {
    span_end += 1;
  }
  return { span_start, span_end };
}

/**
 * Converts a server span (code point offsets) back into UTF-16 indices, e.g.
 * to slice or highlight the quoted text. Offsets are clamped to the text and
 * a reversed span is normalised so that `start <= end`.
 */
export function charSpanToUtf16(
  text: string,
  span: CharSpan,
): { start: number; end: number } {
  let start = codePointToUtf16(text, span.span_start);
  let end = codePointToUtf16(text, span.span_end);
  if (start > end) [start, end] = [end, start];
  return { start, end };
}
