/**
 * One claim: the quote in its article, reviewers, sources, verdict, workflow actions,
 * comments, history and similar earlier claims. For editors, admins and the claim's reviewers.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useArticle } from '../api/articles';
import { useClaim, useClaimComments, useClaimHistory } from '../api/claims';
import { useAnnouncePresence, usePresenceOn } from '../api/live';
import { ApiError, type Claim } from '../api/client';
import { isEditor, useUser } from '../auth/session';
import { ActionsSection } from '../components/claim/ActionsSection';
import { AssignmentsSection } from '../components/claim/AssignmentsSection';
import { CommentsSection } from '../components/claim/CommentsSection';
import { EditClaimForm } from '../components/claim/EditClaimSection';
import { FigureSection } from '../components/claim/FigureSection';
import { HistorySection } from '../components/claim/HistorySection';
import { QuoteSection } from '../components/claim/QuoteSection';
import { RepliesSection } from '../components/claim/RepliesSection';
import { ReviewsSection } from '../components/claim/ReviewsSection';
import { SimilarSection } from '../components/claim/SimilarSection';
import { SourcesSection } from '../components/claim/SourcesSection';
import { VerdictSection } from '../components/claim/VerdictSection';
import { DateTime, Deadline } from '../components/forms';
import { humanize, statusTone } from '../lib/claimPage';
import { presenceWords } from '../lib/live';
import { usePageTitle } from '../lib/usePageTitle';

export default function ClaimPage() {
  const { id = '' } = useParams();
  const user = useUser();
  const editor = isEditor(user);
  const claim = useClaim(id);
  usePageTitle(claim.data ? `Claim: ${claim.data.statement}` : claim.isError ? 'Claim not found' : 'Claim');

  if (claim.isPending) return <p role="status">Loading the claim…</p>;
  if (claim.isError) {
    if (claim.error instanceof ApiError && (claim.error.status === 404 || claim.error.status === 400)) {
      return (
        <section>
          <h1>Claim not found</h1>
          <p>This claim does not exist, or it is not assigned to you.</p>
          <p>
            <Link to="/queue">{editor ? 'Go to the queue' : 'Go to your queue'}</Link>
          </p>
        </section>
      );
    }
    return (
      <section>
        <h1>Claim</h1>
        <p className="notice notice--bad" role="alert">
          The claim could not be loaded: {claim.error.message}
        </p>
        <button type="button" onClick={() => claim.refetch()}>
          Try again
        </button>
      </section>
    );
  }
  return <ClaimScreen claim={claim.data} editor={editor} userId={user.id} userName={user.display_name} />;
}

function ClaimScreen({
  claim,
  editor,
  userId,
  userName,
}: {
  claim: Claim;
  editor: boolean;
  userId: string;
  userName: string;
}) {
  const [message, setMessage] = useState('');
  const seq = useRef(0);
  const announce = useCallback((text: string) => {
    // A new string each time, so the same message twice is announced twice.
    seq.current += 1;
    setMessage(seq.current % 2 ? text : `${text}\u200b`);
  }, []);

  const mine = claim.assignments.find((a) => a.reviewer_id === userId);
  const assigned = mine !== undefined;
  // Reviewers read the article too (only their own claims in it): the quote in context
  // and the original's address come from it.
  const article = useArticle(claim.article_id);
  const mayEdit = editor || assigned;
  const locked = claim.evidence_locked;
  const names = useKnownNames(claim, userId, userName);
  const tone = statusTone(claim.status);
  // What a claim says and where it sits change freely until it is approved.
  const editable = editor && !['approved', 'published', 'dropped'].includes(claim.status);
  const [editing, setEditing] = useState(false);
  useAnnouncePresence(claim.id);

  return (
    <article className="claim-page" aria-labelledby="claim-h1">
      <header className="claim-header">
        <p className="claim-kicker">
          Claim{' '}
          <span className={`badge${tone ? ` badge--${tone}` : ''}`}>
            <span className="sr-only">Status: </span>
            {humanize(claim.status)}
          </span>{' '}
          <span className={`badge${claim.priority === 'urgent' || claim.priority === 'high' ? ' badge--warn' : ''}`}>
            {humanize(claim.priority)} priority
          </span>{' '}
          {claim.overdue && <span className="badge badge--bad">Overdue</span>}
        </p>
        <h1 id="claim-h1">{claim.statement}</h1>
        <PresenceLine claimId={claim.id} />
        {editable && !editing && (
          <p>
            <button type="button" onClick={() => setEditing(true)}>
              Edit claim
            </button>
          </p>
        )}
        <dl className="claim-facts">
          <div>
            <dt>Article</dt>
            <dd>
              <Link to={`/articles/${claim.article_id}`}>{claim.article_title}</Link>
              {article.data?.url && (
                <>
                  {' · '}
                  <a href={article.data.url} rel="noopener noreferrer" target="_blank">
                    Original article
                  </a>
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>Claimant</dt>
            <dd>{claim.claimant || <span className="muted">Not named</span>}</dd>
          </div>
          <div>
            <dt>Claimed</dt>
            <dd>
              {claim.claimed_at ? <DateTime value={claim.claimed_at} withTime={false} /> : <span className="muted">—</span>}
            </dd>
          </div>
          {claim.due_at && (
            <div>
              <dt>Due</dt>
              <dd>
                <Deadline value={claim.due_at} />
              </dd>
            </div>
          )}
        </dl>
      </header>

      <div role="status" className="claim-status">
        {message && <p className="notice notice--ok">{message}</p>}
      </div>

      {mine && (
        <section className="panel assignment-brief" aria-labelledby="claim-brief-h">
          <h2 id="claim-brief-h">Your assignment</h2>
          <p>
            Assigned {names.get(mine.assigned_by) ? <>by {names.get(mine.assigned_by)} </> : null}on{' '}
            <DateTime value={mine.assigned_at} />; <strong>due</strong> <Deadline value={mine.due_at} />.
          </p>
          {mine.note ? (
            <>
              <h3>Note from the editor</h3>
              <p className="pre-wrap" data-testid="assignment-note">
                {mine.note}
              </p>
            </>
          ) : (
            <p className="muted">The editor left no note.</p>
          )}
        </section>
      )}

      {editing && <EditClaimForm claim={claim} article={article} announce={announce} onDone={() => setEditing(false)} />}

      <ActionsSection claim={claim} editor={editor} announce={announce} />

      <div className="two-col">
        <div>
          <QuoteSection claim={claim} article={article} />
          <FigureSection claim={claim} mayEditClaimed={editable} mayRecordChecked={mayEdit && !locked} announce={announce} />
          <ReviewsSection claim={claim} editor={editor} announce={announce} />
          <VerdictSection claim={claim} mayEdit={mayEdit} locked={locked} announce={announce} names={names} />
          <SourcesSection claim={claim} mayEdit={mayEdit} locked={locked} announce={announce} />
          <RepliesSection claim={claim} mayEdit={mayEdit} announce={announce} />
          <CommentsSection claimId={claim.id} announce={announce} />
        </div>
        <div>
          <AssignmentsSection claim={claim} editor={editor} userId={userId} announce={announce} />
          <SimilarSection claimId={claim.id} />
          <HistorySection claimId={claim.id} />
        </div>
      </div>
    </article>
  );
}

/** Who else has this claim open, and what they are typing in; it updates by itself. */
function PresenceLine({ claimId }: { claimId: string }) {
  const here = usePresenceOn(claimId);
  return (
    <p className="claim-presence" aria-live="polite" data-testid="presence">
      {here.map((p) => (
        <span key={p.userId} className={`presence presence--${p.activity}`}>
          {presenceWords(p)}
        </span>
      ))}
    </p>
  );
}

/**
 * Who is who, from what the page already loads (reviewers, comment authors, history
 * actors, the signed-in user): reviewers may not list users, so there is no user lookup.
 */
function useKnownNames(claim: Claim, userId: string, userName: string): Map<string, string> {
  const history = useClaimHistory(claim.id);
  const comments = useClaimComments(claim.id);
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const e of history.data ?? []) if (e.actor_id && e.actor_name) names.set(e.actor_id, e.actor_name);
    for (const c of comments.data ?? claim.comments ?? []) names.set(c.author_id, c.author_name);
    for (const a of claim.assignments) names.set(a.reviewer_id, a.reviewer_name);
    names.set(userId, userName);
    return names;
  }, [history.data, comments.data, claim, userId, userName]);
}
