/**
 * RFC 9457 "problem details" as returned by the Factdesk server with
 * `Content-Type: application/problem+json`.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Builds a Problem from a parsed JSON body, falling back to the HTTP status
 * for any field that is missing or of the wrong type, so callers can always
 * show something meaningful.
 */
export function toProblem(body: unknown, status: number, statusText = ''): Problem {
  const fallbackTitle = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  if (!isRecord(body)) {
    return { type: 'about:blank', title: fallbackTitle, status };
  }
  const problem: Problem = {
    type: typeof body.type === 'string' && body.type ? body.type : 'about:blank',
    title: typeof body.title === 'string' && body.title ? body.title : fallbackTitle,
    status: typeof body.status === 'number' ? body.status : status,
  };
  if (typeof body.detail === 'string' && body.detail) problem.detail = body.detail;
  return problem;
}

/**
 * Reads a non-OK Response as a Problem. A body that is not JSON (for example
 * an HTML error page from a proxy) still yields a Problem built from the
 * status line.
 */
export async function readProblem(response: Response): Promise<Problem> {
  let body: unknown = null;
  const contentType = response.headers.get('content-type') ?? '';
  if (/\bjson\b/i.test(contentType)) {
    try {
      body = await response.json();
    } catch {
      body = null;
    }
  }
  return toProblem(body, response.status, response.statusText);
}

/** Words for the fields the server names that a reader would not know by their path. */
const FIELD_WORDS: Record<string, string> = {
  'verdict.rating': 'Rating',
  'verdict.summary': 'Summary',
  'verdict.explanation': 'Explanation',
  sources: 'Sources',
  claims: 'Claims',
  reviewer_id: 'Reviewer',
  due_at: 'Due time',
  user_ids: 'Recipients',
  claim_ids: 'Claims',
  span_start: 'Selection',
  span_end: 'Selection',
};

/**
 * A server field path in words: `verdict.rating` is "Rating", `[8].key` is "Rating 9,
 * key" (a row of a list, counted from one), `claims[<id>]` is "A claim", and
 * `published_at` is "Published at".
 */
export function fieldInWords(field: string): string {
  const known = FIELD_WORDS[field];
  if (known) return known;
  if (/^claims\[[0-9a-f-]{36}\]$/i.test(field)) return 'A claim';
  const row = /^(\w*)\[(\d+)\]\.?(.*)$/.exec(field);
  if (row) {
    const [, list = '', index = '0', rest = ''] = row;
    // A bare index is a row of the rating scale, the one body that is a list.
    const what = list ? fieldInWords(list).replace(/s$/, '') : 'Rating';
    const n = Number(index) + 1;
    return rest ? `${what} ${n}, ${fieldInWords(rest).toLowerCase()}` : `${what} ${n}`;
  }
  const last = field.split('.').pop() ?? field;
  const words = last.replace(/_/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : field;
}
