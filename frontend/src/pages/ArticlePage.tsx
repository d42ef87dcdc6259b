/**
 * An article being split into claims: its text with every claim highlighted, select
 * any words to make a new claim, suggested claims beside it, and the claims listed
 * with their status (those whose anchor was lost by an edit flagged). A reviewer reads
 * it whole, read-only, with only their own claims highlighted and listed.
 */
import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { isEditor, useUser } from '../auth/session';
import { useArticle } from '../api/articles';
import { ApiError, type Article } from '../api/client';
import { ArticleEditForm } from '../components/article/ArticleEditForm';
import { ArticleText, type TextSelection } from '../components/article/ArticleText';
import { NewClaimForm } from '../components/article/NewClaimForm';
import { SuggestionsPanel } from '../components/article/SuggestionsPanel';
import { OverdueBadge, PriorityBadge, StatusBadge } from '../components/badges';
import { DateTime, ProblemMessage } from '../components/forms';
import { articleStatusLabel } from '../lib/labels';
import { usePageTitle } from '../lib/usePageTitle';


export default function ArticlePage() {
  const { id = '' } = useParams();
  const article = useArticle(id);
  const editor = isEditor(useUser());
  const { hash } = useLocation();
  usePageTitle(article.data?.title ?? 'Article');
  // "Read the whole article" from a claim lands on that claim's words.
  const loaded = article.data !== undefined;
  useEffect(() => {
    if (!loaded || !hash.startsWith('#claim-')) return;
    const mark = document.querySelector(`mark[data-claims~="${CSS.escape(hash.slice(7))}"]`);
    mark?.scrollIntoView({ block: 'center' });
    mark?.classList.add('mark--target');
  }, [loaded, hash]);
  const [selection, setSelection] = useState<TextSelection | null>(null);
  const [composing, setComposing] = useState<TextSelection | null>(null);
  const [editing, setEditing] = useState(false);
  const [lostAfterEdit, setLostAfterEdit] = useState<number | null>(null);

  if (article.isPending) return <p role="status">Loading the article…</p>;
  if (article.error) {
    if (article.error instanceof ApiError && article.error.status === 404) {
      return (
        <section>
          <h1>Article not found</h1>
          <p>
            It does not exist, was removed{editor ? '' : ', or none of its claims is assigned to you'}.{' '}
            <Link to={editor ? '/articles' : '/queue'}>{editor ? 'Back to the articles' : 'Back to your queue'}</Link>.
          </p>
        </section>
      );
    }
    return <ProblemMessage error={article.error} />;
  }
  const a = article.data;
  const claims = a.claims ?? [];
  const lost = claims.filter((c) => c.anchor_lost);

  function finishEdit(saved: Article | null) {
    setEditing(false);
    if (saved) setLostAfterEdit((saved.claims ?? []).filter((c) => c.anchor_lost).length);
  }

  return (
    <article>
      <div className="page-head">
        <h1>{a.title}</h1>
        <div className="button-row">
          <span className={`badge${a.status === 'published' ? ' badge--ok' : ''}`}>
            {articleStatusLabel(a.status)}
          </span>
          {editor && !editing && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit article
            </button>
          )}
          {editor && (
            <Link to={`/articles/${a.id}/publish`} className="button-link">
              Publish…
            </Link>
          )}
        </div>
      </div>
      <p className="muted">
        {[a.outlet, a.author].filter(Boolean).join(' · ')}
        {a.published_at && (
          <>
            {a.outlet || a.author ? ' · ' : ''}
            <DateTime value={a.published_at} withTime={false} />
          </>
        )}
        {a.url && (
          <>
            {' · '}
            <a href={a.url} rel="noopener noreferrer" target="_blank">
              Original article
            </a>
          </>
        )}
        {' · '}revision {a.body_revision}
      </p>
      <div role="status">
        {lostAfterEdit !== null && (
          <p className={`notice ${lostAfterEdit > 0 ? 'notice--warn' : 'notice--ok'}`}>
            Saved.{' '}
            {lostAfterEdit > 0
              ? `${lostAfterEdit} claim${lostAfterEdit === 1 ? '' : 's'} lost ${lostAfterEdit === 1 ? 'its' : 'their'} place in the text: check whether their verdicts still hold.`
              : 'Every claim is still anchored.'}
          </p>
        )}
      </div>
      {editing && <ArticleEditForm article={a} onDone={finishEdit} />}
      <div className="two-col">
        <div>
          <h2 className="sr-only">Text</h2>
          <p className="muted">
            {editor
              ? 'Select words in the text to make them a claim.'
              : 'The whole article, read-only. The claims assigned to you are highlighted.'}
          </p>
          <ArticleText body={a.body ?? ''} claims={claims} onSelect={editor ? setSelection : () => undefined} />
          {editor && selection && !composing && (
            <div className="selection-bar" role="region" aria-label="Selection">
              <p>
                Selected: <q>{selection.quote.length > 140 ? `${selection.quote.slice(0, 140)}…` : selection.quote}</q>
              </p>
              <button type="button" className="primary" onClick={() => setComposing(selection)}>
                New claim from selection
              </button>
            </div>
          )}
          {editor && !selection && !composing && (
            <p>
              <button
                type="button"
                className="link-button"
                onClick={() => setComposing({ quote: '', span_start: 0, span_end: 0 })}
              >
                Or type a quote to make a claim
              </button>
            </p>
          )}
          {composing && (
            <NewClaimForm
              key={`${composing.span_start}-${composing.span_end}`}
              articleId={a.id}
              selection={composing}
              onClose={() => {
                setComposing(null);
                setSelection(null);
              }}
            />
          )}
        </div>
        <aside>
          <section className="panel" aria-labelledby="claims-heading">
            <h2 id="claims-heading">
              {editor ? 'Claims' : 'Your claims in this article'} ({claims.length})
            </h2>
            {lost.length > 0 && (
              <p className="notice notice--warn">
                {lost.length} claim{lost.length === 1 ? '' : 's'} lost {lost.length === 1 ? 'its' : 'their'} anchor when
                the text was edited.
              </p>
            )}
            {claims.length === 0 ? (
              <p className="muted">No claims yet.</p>
            ) : (
              <ul className="plain">
                {claims.map((c) => (
                  <li key={c.id}>
                    <Link to={`/claims/${c.id}`}>{c.statement}</Link>
                    <div className="button-row">
                      <StatusBadge status={c.status} />
                      <PriorityBadge priority={c.priority} />
                      {c.overdue && <OverdueBadge />}
                      {c.anchor_lost && <span className="badge badge--warn">Anchor lost</span>}
                    </div>
                    {c.assignments.length > 0 && (
                      <p className="muted">
                        {c.assignments.map((x) => x.reviewer_name).join(', ')}
                      </p>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {editor && (
              <p>
                <Link to={`/claims?article_id=${a.id}`}>Filter the claims list by this article</Link>
              </p>
            )}
          </section>
          {editor && <SuggestionsPanel articleId={a.id} revision={a.body_revision} />}
        </aside>
      </div>
    </article>
  );
}
