/** Pure helpers for the export screen: the query string and the file name. */

export interface ExportFilters {
  format: string;
  from: string;
  to: string;
  article_id: string;
  reviewer: string;
  rating: string;
  /** Claim statuses; sent comma-separated. */
  status: string[];
}

export const EXPORT_FORMATS: { value: string; label: string }[] = [
  { value: 'csv', label: 'CSV (spreadsheet)' },
  { value: 'json', label: 'JSON array' },
  { value: 'ndjson', label: 'NDJSON (one JSON object a line)' },
  { value: 'claimreview', label: 'schema.org ClaimReview (JSON)' },
  { value: 'md', label: 'Markdown, grouped by article' },
];

/** The query string for `GET /api/v1/reports/verdicts`, leaving empty filters out. */
export function exportQuery(filters: ExportFilters): string {
  const params = new URLSearchParams();
  params.set('format', filters.format || 'csv');
  for (const key of ['from', 'to', 'article_id', 'reviewer', 'rating'] as const) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  if (filters.status.length > 0) params.set('status', filters.status.join(','));
  return params.toString();
}

/**
 * The file name from a `Content-Disposition` header (RFC 6266): `filename*` (RFC 5987,
 * percent-encoded UTF-8) wins over `filename`; `fallback` when there is neither.
 * Path separators are removed so the name cannot point elsewhere.
 */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  let name: string | undefined;
  const extended = /filename\*\s*=\s*([^;]+)/i.exec(header);
  if (extended?.[1]) {
    const value = extended[1].trim().replace(/^"(.*)"$/, '$1');
    const match = /^[\w!#$&+.^`|~-]*'[^']*'(.*)$/.exec(value);
    try {
      name = decodeURIComponent(match?.[1] ?? value);
    } catch {
      name = undefined;
    }
  }
  if (!name) {
    const plain = /(?:^|;)\s*filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]*)/i.exec(header);
    if (plain) {
      name = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : (plain[1] ?? '').trim();
    }
  }
  const safe = (name ?? '').replace(/[/\\]/g, '_').replace(/^\.+/, '').trim();
  return safe || fallback;
}
