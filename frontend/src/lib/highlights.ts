/**
 * Cutting an article's text into runs for highlighting claims. Claims may overlap, so
 * the text is cut at every span boundary and each run lists the claims covering it.
 * Offsets here are UTF-16 indices (convert the server's character spans first).
 */
export interface Span {
  id: string;
  start: number;
  end: number;
}

export interface Run {
  start: number;
  end: number;
  /** The claims covering this run, in the order given. */
  ids: string[];
}

export function runs(length: number, spans: Span[]): Run[] {
  const valid = spans
    .map((s) => ({ ...s, start: clamp(s.start, length), end: clamp(s.end, length) }))
    .filter((s) => s.end > s.start);
  const cuts = new Set<number>([0, length]);
  for (const s of valid) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Run[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    if (end <= start) continue;
    const ids = valid.filter((s) => s.start <= start && s.end >= end).map((s) => s.id);
    const prev = out[out.length - 1];
    if (prev && prev.ids.length === 0 && ids.length === 0) {
      prev.end = end; // merge plain text
    } else {
      out.push({ start, end, ids });
    }
  }
  return out;
}

function clamp(n: number, max: number): number {
  return Math.max(0, Math.min(max, n));
}

/** Shrinks a selection [start, end) so it neither starts nor ends with white space. */
export function trimSelection(text: string, start: number, end: number): { start: number; end: number } {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(text.length, Math.max(start, end));
  while (s < e && /\s/.test(text[s] ?? '')) s++;
  while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
  return { start: s, end: e };
}
