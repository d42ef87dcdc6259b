import { Link } from 'react-router';
import type { Claim } from '../api/client';
import { useRatingScale } from './rating';
import { statusLabel } from '../lib/labels';
import { DateTime } from './forms';

/** Earlier claims like a text, from `GET /claims?similar_to=` (most similar first), with their verdicts: "checked on 20 Feb 2025: False". */
export function SimilarClaimViews({ items }: { items: Claim[] }) {
  const scale = useRatingScale();
  if (items.length === 0) return <p className="muted">No similar earlier claims.</p>;
  const label = (key?: string | null) =>
    key ? (scale.data?.find((r) => r.key === key)?.label ?? key) : null;
  return (
    <ul className="plain">
      {items.map((c) => {
        const rating = label(c.verdict?.rating);
        const checked = c.verdict?.approved_at ?? c.verdict?.submitted_at;
        return (
          <li key={c.id}>
            <Link to={`/claims/${c.id}`}>{c.statement}</Link>
            <div className="muted">
              {rating ? (
                <>
                  {checked ? (
                    <>
                      Checked on <DateTime value={checked} withTime={false} />:{' '}
                    </>
                  ) : null}
                  <strong>{rating}</strong>
                </>
              ) : (
                statusLabel(c.status)
              )}
              {' · '}
              {c.article_title}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
