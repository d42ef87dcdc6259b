/**
 * A numeric claim on the claim page: what a typed number means to the API (a plain
 * decimal), and how far the checked figure is from the claimed one in words.
 */
import type { Schemas } from '../api/client';

export type FigureSummary = Schemas['FigureSummary'];

/**
 * A number as people type it, as the API's plain decimal: "57" and "57.5" stay, "37,8"
 * is 37.8 (a decimal comma), "100,000" and "100 000" are 100000, "1,234.5" is 1234.5.
 * Anything else is returned trimmed, for the server to refuse with its reason.
 */
export function plainDecimal(typed: string): string {
  const t = typed.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return t.replace(/,/g, '');
  if (/^-?\d{1,3}(\.\d{3})+,\d+$/.test(t)) return t.replace(/\./g, '').replace(',', '.');
  if (/^-?\d+,\d+$/.test(t)) return t.replace(',', '.');
  return t;
}

function grouped(value: string): string {
  const negative = value.startsWith('-');
  const [int = '0', frac] = value.replace(/^-/, '').split('.');
  const g = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${frac ? `${g}.${frac}` : g}`;
}

/** "53 percentage points more than claimed", "65,000 troops fewer than claimed", "As claimed". */
export function differenceWords(f: FigureSummary): string | null {
  const c = f.comparison;
  if (!c) return null;
  if (/^-?0(\.0+)?$/.test(c.difference)) return 'The same as claimed';
  const more = !c.difference.startsWith('-');
  const amount = grouped(c.difference.replace(/^-/, ''));
  const unit = f.claimed.unit === 'percent' ? ' percentage points' : f.claimed.unit ? ` ${f.claimed.unit}` : '';
  return `${amount}${unit} ${more ? 'more' : 'fewer'} than claimed`;
}

/** "14.25 times the claimed figure", or null when it cannot be said (a claim of zero). */
export function ratioWords(f: FigureSummary): string | null {
  const r = f.comparison?.ratio;
  if (!r) return null;
  return `${r} times the claimed figure`;
}
