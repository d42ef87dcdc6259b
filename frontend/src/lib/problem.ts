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
