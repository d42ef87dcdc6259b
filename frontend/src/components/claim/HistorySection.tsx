/** The audit trail of the claim and everything attached to it, newest first. */
import { useClaimHistory } from '../../api/claims';
import { fieldChanges, humanize, newestFirst, showValue } from '../../lib/claimPage';
import { DateTime } from '../forms';

/** The fields an event changed, before and after, behind a toggle named after them. */
function Changes({ before, after, label }: { before: unknown; after: unknown; label: string }) {
  const changes = fieldChanges(before, after);
  if (changes.length === 0) return null;
  const names = changes.map((c) => humanize(c.field).toLowerCase());
  const shown = names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
  const title = before == null ? 'What was created' : after == null ? 'What was removed' : `Changed ${shown}`;
  return (
    <details>
      <summary>
        {title}
        <span className="sr-only"> ({label})</span>
      </summary>
      <table className="claim-diff">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.field}>
              <th scope="row">{humanize(c.field)}</th>
              <td>
                <span className="pre-wrap">{showValue(c.before)}</span>
              </td>
              <td>
                <span className="pre-wrap">{showValue(c.after)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function HistorySection({ claimId }: { claimId: string }) {
  const history = useClaimHistory(claimId);
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
                <Changes before={e.before} after={e.after} label={`${humanize(e.action)} ${e.entity.replace(/_/g, ' ')}, ${new Date(e.at).toLocaleString()}`} />
              </li>
            ))}
          </ol>
        ))}
    </section>
  );
}
