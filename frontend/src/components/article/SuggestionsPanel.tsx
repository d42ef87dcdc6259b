/**
 * Sentences and clauses worth checking, best first, with the reasons in words. One
 * click turns a suggestion into a claim at its span.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useSuggestions } from '../../api/articles';
import { useCreateClaim } from '../../api/claims';
import { figureInWords } from '../../lib/figures';
import { ProblemMessage } from '../forms';

const SHOWN = 8;

export function SuggestionsPanel({ articleId, revision }: { articleId: string; revision: number }) {
  const [showAll, setShowAll] = useState(false);
  const [showCovered, setShowCovered] = useState(false);
  const [created, setCreated] = useState<{ id: string; statement: string } | null>(null);
  const suggestions = useSuggestions(articleId, revision);
  const add = useCreateClaim(articleId, {
    onSuccess: (claim) => setCreated({ id: claim.id, statement: claim.statement }),
  });

  const all = suggestions.data?.items ?? [];
  const visible = all.filter((s) => showCovered || !s.covered);
  const items = showAll ? visible : visible.slice(0, SHOWN);

  return (
    <section className="panel" aria-labelledby="suggestions-heading">
      <h2 id="suggestions-heading">Suggested claims</h2>
      <p className="muted">Ranked by how check-worthy they read. Add one and it becomes a draft claim at its place in the text.</p>
      <ProblemMessage error={suggestions.error ?? add.error} />
      <div role="status">
        {created && (
          <p className="notice notice--ok">
            Added <Link to={`/claims/${created.id}`}>{created.statement}</Link>.
          </p>
        )}
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={showCovered} onChange={(e) => setShowCovered(e.target.checked)} /> Show
        suggestions already covered by a claim
      </label>
      {suggestions.isPending ? (
        <p role="status">Reading the article…</p>
      ) : items.length === 0 ? (
        <p className="muted">No suggestions left: every likely claim is covered.</p>
      ) : (
        <ol className="plain suggestions">
          {items.map((s) => (
            <li key={`${s.kind}-${s.span_start}-${s.span_end}`}>
              <p className="suggestion-text">
                <span className="badge">{s.kind === 'clause' ? 'Clause' : 'Sentence'}</span>{' '}
                <span className="badge" title="Check-worthiness">{Math.round(s.score * 100)}%</span>{' '}
                {s.covered && <span className="badge badge--ok">Already a claim</span>} {s.text}
              </p>
              {s.reasons.length > 0 && <p className="muted">Because: {s.reasons.join('; ')}</p>}
              {s.figures.length > 0 && (
                <p className="muted" data-testid="suggestion-figures">
                  Figures to check: {s.figures.map((f) => `${f.as_stated} (${figureInWords(f)})`).join('; ')}
                </p>
              )}
              {!s.covered && (
                <button
                  type="button"
                  onClick={() => add.mutate({ span_start: s.span_start, span_end: s.span_end, statement: s.text })}
                  disabled={add.isPending}
                  aria-label={`Add as claim: ${s.text}`}
                >
                  Add as claim
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {!showAll && visible.length > SHOWN && (
        <button type="button" className="link-button" onClick={() => setShowAll(true)}>
          Show all {visible.length} suggestions
        </button>
      )}
    </section>
  );
}
