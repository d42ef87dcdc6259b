/**
 * The typed API client. Its types come from `schema.d.ts`, which is generated from the
 * server's OpenAPI document (`factdesk openapi | npx openapi-typescript`); the test
 * command regenerates it and fails when it differs, so the client cannot drift.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
/** An IANA time zone name; the server refuses one it does not know. */
export type TimeZoneName = Schemas['TimeZoneName'];
export type User = Schemas['UserView'];
export type Role = Schemas['Role'];
export type Article = Schemas['ArticleView'];
export type Claim = Schemas['ClaimView'];
export type Assignment = Schemas['AssignmentView'];
export type Source = Schemas['SourceView'];
export type Verdict = Schemas['VerdictView'];
export type Rating = Schemas['Rating'];
export type Action = Schemas['Action'];
export type Status = Schemas['Status'];
export type Priority = Schemas['Priority'];
export type HistoryEvent = Schemas['HistoryEvent'];
export type Comment = Schemas['CommentView'];
export type SimilarClaim = Schemas['SimilarClaim'];
export type Suggestion = Schemas['Suggestion'];
export type Stats = Schemas['Stats'];
export type FieldError = Schemas['FieldError'];

/** The last change of an entity, sent with a 412 so the app can say who changed it. */
export interface ChangedBy {
  action: string;
  actor_name: string | null;
  at: string;
}

/** An RFC 9457 problem as the server sends it, with Factdesk's extension members. */
export interface ApiProblem {
  type: string;
  title: string;
  status: number;
  detail?: string | null;
  errors?: FieldError[];
  /** 412: the row as it is now. */
  current?: unknown;
  /** 412: who made the change the caller did not see. */
  changed_by?: ChangedBy;
  /** 409 on an illegal transition. */
  current_status?: Status;
  allowed_actions?: Action[];
  /** 409 on a new article that is on the desk already. */
  duplicate_of?: { id: string; title: string; outlet?: string | null; created_at: string };
}

/** A failed API call: the server's problem, or a network failure (status 0). */
export class ApiError extends Error {
  readonly problem: ApiProblem;

  constructor(problem: ApiProblem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  /** The message for one field, if the server named it. */
  fieldError(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === field)?.message;
  }
}

/**
 * Asked when a request comes back 401 while the app is open: the session ended. It
 * resolves true once the same user has signed in again (the request is then sent once
 * more, so a save goes through without losing anything), false to give up.
 */
let onSessionExpired: (() => Promise<boolean>) | null = null;
export function setSessionExpiredHandler(handler: (() => Promise<boolean>) | null) {
  onSessionExpired = handler;
}

/** Requests whose 401 means "wrong password" or "nobody signed in", not "session ended". */
function isSessionProbe(request: Request): boolean {
  const path = new URL(request.url).pathname;
  return path.endsWith('/auth/me') || path.endsWith('/auth/login');
}

/** fetch, and after a 401 the same request again once the user has signed in again. */
async function fetchKeepingSession(request: Request): Promise<Response> {
  const again = onSessionExpired && !isSessionProbe(request) ? request.clone() : null;
  const response = await fetch(request);
  if (response.status === 401 && again && onSessionExpired && (await onSessionExpired())) {
    return fetch(again);
  }
  return response;
}

const csrf: Middleware = {
  onRequest({ request }) {
    // Cookie sessions must prove the request comes from this app (not a cross-site form).
    request.headers.set('X-Requested-With', 'factdesk');
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin', fetch: fetchKeepingSession });
api.use(csrf);

function toApiProblem(error: unknown, response: Response): ApiProblem {
  if (error && typeof error === 'object' && 'title' in error) {
    return { ...(error as ApiProblem), status: (error as ApiProblem).status ?? response.status };
  }
  return {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  };
}

/**
 * Unwraps an openapi-fetch result: the data, or an ApiError carrying the problem.
 * Network failures become an ApiError with status 0.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (e) {
    throw new ApiError({
      type: 'about:blank',
      title: 'The server could not be reached',
      status: 0,
      detail: e instanceof Error ? e.message : String(e),
    });
  }
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(toApiProblem(result.error, result.response));
  }
  return result.data as T;
}

/** `If-Match` for a row of this version. */
export function ifMatch(version: number) {
  return { 'If-Match': `"${version}"` };
}
