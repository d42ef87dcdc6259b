/** The audit trail of the claim and everything attached to it, newest first. */
import { useQuery } from '@tanstack/react-query';
import { humanize, newestFirst } from '../../lib/claimPage';
import { DateTime } from '../forms';
import { historyQuery } from './shared';

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export function HistorySection({ claimId }: { claimId: string }) {
  const history = useQuery(historyQuery(claimId));
  return (
    <section aria-labelledby="claim-history-h" className="panel">
      <h2 id="claim-history-h">History</h2>
      {history.isPending && <p className="muted">Loading the history…</p>}
      {history.isError && (
        <p className="notice notice--bad" role="alert">
          The history could not be loaded: {history.error.message}
        </p>
      )}
      {history.data &&
        (history.data.length === 0 ? (
          <p className="muted">Nothing has happened yet.</p>
        ) : (
          <ol className="plain claim-history">
            {newestFirst(history.data).map((e) => (
              <li key={e.id}>
                <p className="claim-history-line">
                  <strong>{e.actor_name ?? 'The system'}</strong> {humanize(e.action).toLowerCase()}{' '}
                  {e.entity.replace(/_/g, ' ')} at <DateTime value={e.at} />
                </p>
                {(e.before != null || e.after != null) && (
                  <details>
                    <summary>Before and after</summary>
                    <div className="claim-diff">
                      <div>
                        <h3 className="claim-diff-h">Before</h3>
                        {e.before != null ? <pre>{json(e.before)}</pre> : <p className="muted">—</p>}
                      </div>
                      <div>
                        <h3 className="claim-diff-h">After</h3>
                        {e.after != null ? <pre>{json(e.after)}</pre> : <p className="muted">—</p>}
                      </div>
                    </div>
                  </details>
                )}
              </li>
            ))}
          </ol>
        ))}
    </section>
  );
}
