/**
 * One claim: the quote in its article, reviewers, sources, verdict, workflow actions,
 * comments, history and similar earlier claims. For editors, admins and the claim's reviewers.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useClaim, useClaimComments, useClaimHistory } from '../api/claims';
import { ApiError, type Claim } from '../api/client';
import { isEditor, useUser } from '../auth/session';
import { ActionsSection } from '../components/claim/ActionsSection';
import { AssignmentsSection } from '../components/claim/AssignmentsSection';
import { CommentsSection } from '../components/claim/CommentsSection';
import { HistorySection } from '../components/claim/HistorySection';
import { QuoteSection } from '../components/claim/QuoteSection';
import { SimilarSection } from '../components/claim/SimilarSection';
import { SourcesSection } from '../components/claim/SourcesSection';
import { VerdictSection } from '../components/claim/VerdictSection';
import { DateTime } from '../components/forms';
import { humanize, statusTone } from '../lib/claimPage';
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

  const assigned = claim.assignments.some((a) => a.reviewer_id === userId);
  const mayEdit = editor || assigned;
  const locked = claim.evidence_locked;
  const names = useKnownNames(claim, userId, userName);
  const tone = statusTone(claim.status);

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
        <dl className="claim-facts">
          <div>
            <dt>Article</dt>
            <dd>
              {editor ? (
                <Link to={`/articles/${claim.article_id}`}>{claim.article_title}</Link>
              ) : (
                claim.article_title
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
                <DateTime value={claim.due_at} />
              </dd>
            </div>
          )}
        </dl>
      </header>

      <div role="status" className="claim-status">
        {message && <p className="notice notice--ok">{message}</p>}
      </div>

      <ActionsSection claim={claim} editor={editor} announce={announce} />

      <div className="two-col">
        <div>
          <QuoteSection claim={claim} editor={editor} />
          <VerdictSection claim={claim} mayEdit={mayEdit} locked={locked} announce={announce} names={names} />
          <SourcesSection claim={claim} mayEdit={mayEdit} locked={locked} announce={announce} />
          <CommentsSection claimId={claim.id} announce={announce} />
        </div>
        <div>
          <AssignmentsSection claim={claim} editor={editor} announce={announce} />
          <SimilarSection claimId={claim.id} />
          <HistorySection claimId={claim.id} />
        </div>
      </div>
    </article>
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
