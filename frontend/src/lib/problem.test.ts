import { describe, expect, it } from 'vitest';
import { fieldInWords, readProblem, toProblem } from './problem';

function problemResponse(body: string, status: number, contentType: string): Response {
  return new Response(body, { status, headers: { 'content-type': contentType } });
}

describe('toProblem', () => {
  it('keeps the fields of a well-formed problem', () => {
    const body = {
      type: 'https://factdesk.example/problems/database-unavailable',
      title: 'Database unavailable',
      status: 503,
      detail: 'The database did not answer within 2 s.',
    };
    expect(toProblem(body, 503)).toEqual(body);
  });

  it('falls back to the HTTP status when fields are missing', () => {
    expect(toProblem({}, 502, 'Bad Gateway')).toEqual({
      type: 'about:blank',
      title: 'HTTP 502 Bad Gateway',
      status: 502,
    });
    expect(toProblem('nope', 500)).toEqual({ type: 'about:blank', title: 'HTTP 500', status: 500 });
    expect(toProblem(null, 503).title).toBe('HTTP 503');
  });
});

describe('readProblem', () => {
  it('parses application/problem+json', async () => {
    const res = problemResponse(
      JSON.stringify({ type: 'about:blank', title: 'Not ready', status: 503, detail: 'Migrations pending' }),
      503,
      'application/problem+json',
    );
    await expect(readProblem(res)).resolves.toEqual({
      type: 'about:blank',
      title: 'Not ready',
      status: 503,
      detail: 'Migrations pending',
    });
  });

  it('survives a non-JSON body', async () => {
    const res = problemResponse('<h1>Bad gateway</h1>', 502, 'text/html');
    await expect(readProblem(res)).resolves.toMatchObject({ status: 502, title: 'HTTP 502' });
  });

  it('survives malformed JSON', async () => {
    const res = problemResponse('{"title":', 503, 'application/problem+json');
    await expect(readProblem(res)).resolves.toMatchObject({ status: 503, title: 'HTTP 503' });
  });
});

describe('fieldInWords (field errors as a reader sees them)', () => {
  it('names the fields of the verdict, sources and lists in words', () => {
    expect(fieldInWords('verdict.rating')).toBe('Rating');
    expect(fieldInWords('sources')).toBe('Sources');
    expect(fieldInWords('[8].key')).toBe('Rating 9, key');
    expect(fieldInWords('user_ids[0]')).toBe('Recipient 1');
    expect(fieldInWords('claims[0b6f3a52-3c2d-4a8e-9c57-1f1e2d3c4b5a]')).toBe('A claim');
  });

  it('turns an unknown snake_case path into words', () => {
    expect(fieldInWords('published_at')).toBe('Published at');
    expect(fieldInWords('settings.default_time_zone')).toBe('Default time zone');
  });
});
