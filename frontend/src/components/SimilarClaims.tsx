/** Earlier claims like this one, with their verdicts: "checked on 20 Feb 2025: False". */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap, type Claim, type SimilarClaim } from '../api/client';
import { statusLabel } from '../lib/labels';
import { DateTime } from './forms';

export function SimilarClaimsList({ items }: { items: SimilarClaim[] }) {
  if (items.length === 0) return <p className="muted">No similar earlier claims.</p>;
  return (
    <ul className="plain">
      {items.map((s) => (
        <li key={s.id}>
          <Link to={`/claims/${s.id}`}>{s.statement}</Link>
          <div className="muted">
            {s.rating_label ? (
              <>
                {s.checked_at ? (
                  <>
                    Checked on <DateTime value={s.checked_at} withTime={false} />:{' '}
                  </>
                ) : null}
                <strong>{s.rating_label}</strong>
              </>
            ) : (
              statusLabel(s.status)
            )}
            {' · '}
            {s.article_title} · {Math.round(s.similarity * 100)}% alike
            {s.public_url && (
              <>
                {' · '}
                <a href={s.public_url} rel="noopener noreferrer">
                  published verdict
                </a>
              </>
            )}
          </div>
          {s.summary && <p className="muted">{s.summary}</p>}
        </li>
      ))}
    </ul>
  );
}

export function useRatingScale() {
  return useQuery({
    queryKey: ['rating-scale'],
    queryFn: () => unwrap(api.GET('/api/v1/rating-scale')),
    staleTime: 5 * 60_000,
  });
}

/** The same list from `GET /claims?similar_to=` answers (whole claims, most similar first). */
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
