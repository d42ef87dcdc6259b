import { useCallback, useEffect, useState } from 'react';
import { fetchReadiness, type Readiness } from '../lib/readiness';

type State = { kind: 'checking' } | Readiness;

/** Shows whether the server and its database are ready (GET /readyz). */
export function ServerStatus() {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'checking' });
    fetchReadiness(controller.signal).then(setState, () => {
      /* aborted: the component unmounted or a new check started */
    });
    return () => controller.abort();
  }, [attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return (
    <section className="status-panel" aria-labelledby="server-status-heading">
      <h2 id="server-status-heading">Server status</h2>
      <div role="status" aria-live="polite" className={`status status--${state.kind}`}>
        <StatusMessage state={state} />
      </div>
      <button type="button" onClick={retry} disabled={state.kind === 'checking'}>
        Check again
      </button>
    </section>
  );
}

function StatusMessage({ state }: { state: State }) {
  switch (state.kind) {
    case 'checking':
      return <p>Checking the server…</p>;
    case 'ready':
      return <p className="status-title">Database ready</p>;
    case 'problem':
      return (
        <>
          <p className="status-title">{state.problem.title}</p>
          {state.problem.detail && <p>{state.problem.detail}</p>}
        </>
      );
    case 'unreachable':
      return (
        <>
          <p className="status-title">The server could not be reached</p>
          <p>{state.message}</p>
        </>
      );
  }
}
