import { describe, expect, it } from 'vitest';
import { fetchReadiness } from './readiness';

function stubFetch(respond: () => Promise<Response>): typeof fetch {
  return (() => respond()) as typeof fetch;
}

describe('fetchReadiness', () => {
  it('reports ready on 200', async () => {
    const f = stubFetch(async () => new Response('{"status":"ok"}', { status: 200 }));
    await expect(fetchReadiness(undefined, f)).resolves.toEqual({ kind: 'ready' });
  });

  it('reports the problem body otherwise', async () => {
    const body = { type: 'about:blank', title: 'Database unavailable', status: 503, detail: 'connection refused' };
    const f = stubFetch(async () =>
      new Response(JSON.stringify(body), {
        status: 503,
        headers: { 'content-type': 'application/problem+json' },
      }),
    );
    await expect(fetchReadiness(undefined, f)).resolves.toEqual({ kind: 'problem', problem: body });
  });

  it('reports a network failure as unreachable', async () => {
    const f = stubFetch(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(fetchReadiness(undefined, f)).resolves.toEqual({
      kind: 'unreachable',
      message: 'Failed to fetch',
    });
  });

  it('rethrows when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const f = stubFetch(async () => {
      throw new DOMException('aborted', 'AbortError');
    });
    await expect(fetchReadiness(controller.signal, f)).rejects.toThrow('aborted');
  });
});
