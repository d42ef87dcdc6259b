import { readProblem, type Problem } from './problem';

export type Readiness =
  | { kind: 'ready' }
  | { kind: 'problem'; problem: Problem }
  | { kind: 'unreachable'; message: string };

/**
 * Asks the server whether it can serve requests (`GET /readyz`).
 * 200 means the database is reachable; any other status carries an
 * `application/problem+json` body explaining why not.
 *
 * Rejects only when `signal` aborts (with the abort reason); every other
 * failure is reported as a Readiness value.
 */
export async function fetchReadiness(
  signal?: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): Promise<Readiness> {
  let response: Response;
  try {
    response = await fetchImpl('/readyz', {
      headers: { Accept: 'application/json, application/problem+json' },
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    return {
      kind: 'unreachable',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  if (response.status === 200) return { kind: 'ready' };
  return { kind: 'problem', problem: await readProblem(response) };
}
