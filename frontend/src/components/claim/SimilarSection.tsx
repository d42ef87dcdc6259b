/** Earlier claims that read like this one, with their verdicts. */
import { Link } from 'react-router';
import { useSimilarClaims } from '../../api/claims';
import { humanize } from '../../lib/claimPage';
import { DateTime } from '../forms';

export function SimilarSection({ claimId }: { claimId: string }) {
  const similar = useSimilarClaims(claimId);
  return (
    <section aria-labelledby="claim-similar-h" className="panel">
      <h2 id="claim-similar-h">Similar earlier claims</h2>
      {similar.isPending && <p className="muted">Looking for similar claims…</p>}
      {similar.isError && (
        <p className="notice notice--bad" role="alert">
          Similar claims could not be loaded: {similar.error.message}
        </p>
      )}
      {similar.data &&
        (similar.data.length === 0 ? (
          <p>No similar earlier claims.</p>
        ) : (
          <ul className="plain">
            {similar.data.map((s) => (
              <li key={s.id} className="claim-item">
                <p className="claim-item-head">
                  <Link to={`/claims/${s.id}`}>{s.statement}</Link>
                </p>
                <p className="claim-meta">
                  <span className="badge">{humanize(s.status)}</span>
                  {s.rating_label && <strong>{s.rating_label}</strong>}
                  {s.checked_at && (
                    <span>
                      Checked <DateTime value={s.checked_at} withTime={false} />
                    </span>
                  )}
                </p>
                {s.summary && <p>{s.summary}</p>}
                <p className="claim-meta">
                  <span className="muted">From “{s.article_title}”</span>
                  {s.public_url && (
                    <a href={s.public_url} rel="noopener noreferrer">
                      Published verdict
                    </a>
                  )}
                </p>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
