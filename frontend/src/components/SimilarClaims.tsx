/**
 * Earlier claims that read like a statement, with their verdicts: "False · Checked 20
 * Feb 2025 · Published verdict". The claim page and the new-claim form show the same
 * search (`GET /claims/{id}/similar` and `GET /claims/similar?text=`) the same way.
 */
import { Link } from 'react-router';
import type { SimilarClaim } from '../api/client';
import { humanize } from '../lib/claimPage';
import { DateTime } from './forms';

export function SimilarList({ items }: { items: SimilarClaim[] }) {
  if (items.length === 0) return <p className="muted">No similar earlier claims.</p>;
  return (
    <ul className="plain">
      {items.map((s) => (
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
  );
}
