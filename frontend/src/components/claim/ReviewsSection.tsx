/**
 * Independent reviews on the claim page. A reviewer writes and submits their own
 * proposal and sees the others' only once every reviewer's is in. An editor sees the
 * proposals side by side, with any disagreement marked, and approves one (its rating
 * becomes the verdict, credited to its reviewer) or sends one or all back.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTransitionClaim } from '../../api/claims';
import { ApiError, type Claim, type Rating } from '../../api/client';
import { useReviews, useSaveMyReview, useSubmitMyReview, type Review } from '../../api/reviews';
import { useUser } from '../../auth/session';
import { charactersLeft, humanize } from '../../lib/claimPage';
import { clearDraft, draftKey, readDraft, usePersistedDraft } from '../../lib/drafts';
import { currentProposals, ratingsDiffer } from '../../lib/reviews';
import { DateTime, Field, ProblemMessage } from '../forms';
import { RatingLabel, useRatingScale } from '../rating';
import type { Announce } from './shared';
import { EXPLANATION_MAX, SUMMARY_MAX } from './VerdictSection';

interface Props {
  claim: Claim;
  editor: boolean;
  announce: Announce;
}

export function ReviewsSection({ claim, editor, announce }: Props) {
  const user = useUser();
  const assigned = claim.assignments.some((a) => a.reviewer_id === user.id);
  const list = useReviews(claim.id, claim.independent_review);
  const scale = useRatingScale();
  if (!claim.independent_review) return null;
  const required = claim.assignments.length;
  const proposals = list.data ? currentProposals(list.data.reviews) : [];
  const earlier = list.data?.reviews.filter((r) => !proposals.some((p) => p.id === r.id)) ?? [];
  const mine = list.data?.reviews.filter((r) => r.reviewer_id === user.id).at(-1);
  const open = claim.status === 'assigned' || claim.status === 'in_review';

  return (
    <section aria-labelledby="claim-reviews-h" className="panel">
      <h2 id="claim-reviews-h">Independent reviews</h2>
      <p className="claim-meta" data-testid="reviews-progress">
        {claim.reviews_submitted} of {required} reviewers have submitted.
        {required < 2 && ' An independent review needs at least two reviewers.'}
        {!editor && !list.data?.revealed && " The others' ratings stay hidden until everyone's is in."}
      </p>
      {list.isError && (
        <p className="notice notice--bad" role="alert">
          The proposals could not be loaded: {list.error.message}
        </p>
      )}
      {assigned && open && (
        <MyProposal claim={claim} mine={mine} scale={scale.data} announce={announce} />
      )}
      {proposals.length > 0 && (editor || list.data?.revealed) && (
        <Proposals claim={claim} proposals={proposals} scale={scale.data} editor={editor} announce={announce} />
      )}
      {editor && earlier.length > 0 && (
        <details className="claim-subform">
          <summary>Earlier proposals ({earlier.length})</summary>
          <ul className="plain">
            {earlier.map((r) => (
              <li key={r.id} className="claim-item">
                <strong>{r.reviewer_name}</strong> <RatingLabel rating={r.rating} scale={scale.data} />{' '}
                <span className="badge">{humanize(r.state)}</span> {r.summary}
                {r.submitted_at && (
                  <>
                    {' '}
                    <DateTime value={r.submitted_at} />
                  </>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** The proposals side by side; for an editor on a submitted claim, the choices. */
function Proposals({
  claim,
  proposals,
  scale,
  editor,
  announce,
}: {
  claim: Claim;
  proposals: Review[];
  scale?: Rating[];
  editor: boolean;
  announce: Announce;
}) {
  const [sendingBack, setSendingBack] = useState<Review | 'all' | null>(null);
  const [comment, setComment] = useState('');
  const transition = useTransitionClaim(claim.id, {
    onSuccess: (updated, v) => {
      setSendingBack(null);
      setComment('');
      announce(
        v.action === 'approve'
          ? `Approved. The claim is now ${humanize(updated.status).toLowerCase()}.`
          : 'Sent back to the reviewer.',
      );
    },
  });
  const deciding = editor && claim.status === 'submitted';
  const differ = ratingsDiffer(proposals);
  function sendBack(e: FormEvent) {
    e.preventDefault();
    if (!sendingBack) return;
    transition.mutate({
      action: 'request_changes',
      comment: comment.trim(),
      reviewer_ids: sendingBack === 'all' ? undefined : [sendingBack.reviewer_id],
    });
  }
  return (
    <>
      {differ && (
        <p className="notice notice--warn" data-testid="ratings-differ">
          The reviewers disagree: {proposals.map((p) => `${p.reviewer_name} rates it ${ratingName(p.rating, scale)}`).join('; ')}.
        </p>
      )}
      <div className="proposal-grid" data-testid="proposals">
        {proposals.map((p) => (
          <article key={p.id} className="proposal" aria-labelledby={`proposal-${p.id}`}>
            <h3 id={`proposal-${p.id}`}>{p.reviewer_name}</h3>
            <p>
              <RatingLabel rating={p.rating} scale={scale} /> <span className="badge">{humanize(p.state)}</span>
            </p>
            <p>{p.summary || <span className="muted">No summary yet.</span>}</p>
            {p.explanation_html && (
              // Rendered and sanitised by the server (ammonia), as on the public page.
              <div className="claim-explanation" dangerouslySetInnerHTML={{ __html: p.explanation_html }} />
            )}
            {deciding && p.state === 'submitted' && (
              <div className="button-row">
                <button
                  type="button"
                  className="primary"
                  disabled={transition.isPending}
                  onClick={() => transition.mutate({ action: 'approve', review_id: p.id })}
                >
                  Approve {p.reviewer_name}’s rating
                </button>
                <button type="button" onClick={() => setSendingBack(p)} aria-expanded={sendingBack === p}>
                  Send back to {p.reviewer_name}
                </button>
              </div>
            )}
          </article>
        ))}
      </div>
      {deciding && proposals.length > 1 && sendingBack === null && (
        <p>
          <button type="button" onClick={() => setSendingBack('all')}>
            Send back to all reviewers
          </button>
        </p>
      )}
      {sendingBack && (
        <form onSubmit={sendBack} noValidate className="claim-subform">
          <Field
            label={sendingBack === 'all' ? 'What should the reviewers change?' : `What should ${sendingBack.reviewer_name} change?`}
            name="comment"
            error={transition.error}
          >
            {(p) => <textarea {...p} rows={3} required value={comment} onChange={(e) => setComment(e.target.value)} />}
          </Field>
          <div className="button-row">
            <button type="submit" className="primary" disabled={transition.isPending}>
              Send back
            </button>
            <button type="button" className="secondary" onClick={() => setSendingBack(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ProblemMessage error={transition.error} fields={sendingBack ? ['comment'] : []} />
    </>
  );
}

function ratingName(key: string | null | undefined, scale?: Rating[]): string {
  if (!key) return 'nothing yet';
  return scale?.find((r) => r.key === key)?.label ?? key;
}

interface Values {
  rating: string;
  summary: string;
  explanation: string;
}

/** The signed-in reviewer's own proposal: write it, save it, submit it, or take it back. */
function MyProposal({
  claim,
  mine,
  scale,
  announce,
}: {
  claim: Claim;
  mine?: Review;
  scale?: Rating[];
  announce: Announce;
}) {
  const headingId = useId();
  const storeKey = draftKey(useUser().id, 'claim', claim.id, 'review');
  const draft = mine?.state === 'draft' ? mine : undefined;
  // A proposal sent back starts the next one with its words.
  const from = mine && mine.state !== 'submitted' ? mine : undefined;
  const saved: Values = { rating: from?.rating ?? '', summary: from?.summary ?? '', explanation: from?.explanation ?? '' };
  const [restored] = useState(() => readDraft<Values>(storeKey));
  const [values, setValues] = useState<Values>(() => ({ ...saved, ...restored?.values }));
  const dirty = JSON.stringify(values) !== JSON.stringify(saved);
  usePersistedDraft(storeKey, values, dirty, draft?.version ?? null);
  const set = (k: keyof Values, v: string) => setValues((old) => ({ ...old, [k]: v }));
  const save = useSaveMyReview(claim.id, {
    onSuccess: () => {
      clearDraft(storeKey);
      announce('Your proposal is saved.');
    },
  });
  const submitIt = useSubmitMyReview(claim.id, {
    onSuccess: (updated) =>
      announce(
        updated.status === 'submitted'
          ? 'Your proposal is in, and so is everyone else’s: the claim went to the editors.'
          : 'Your proposal is in. The claim goes to the editors once every reviewer’s is.',
      ),
  });
  const withdraw = useTransitionClaim(claim.id, {
    onSuccess: () => announce('Your proposal is taken back; you can change it.'),
  });

  if (mine?.state === 'submitted') {
    return (
      <div className="claim-subform">
        <h3>Your proposal</h3>
        <p>
          <RatingLabel rating={mine.rating} scale={scale} /> {mine.summary}
        </p>
        <p className="muted">
          Submitted <DateTime value={mine.submitted_at!} />.
        </p>
        {claim.allowed_actions.includes('withdraw') && (
          <button type="button" disabled={withdraw.isPending} onClick={() => withdraw.mutate({ action: 'withdraw' })}>
            Take it back to change it
          </button>
        )}
        <ProblemMessage error={withdraw.error} />
      </div>
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({
      version: draft?.version,
      body: { rating: values.rating || null, summary: values.summary, explanation: values.explanation },
    });
  }
  const summaryLeft = charactersLeft(values.summary, SUMMARY_MAX);
  const conflict = save.error instanceof ApiError && save.error.status === 412;
  return (
    <form onSubmit={submit} noValidate aria-labelledby={headingId} className="claim-subform">
      <h3 id={headingId}>Your proposal</h3>
      <p className="muted">Your own rating and summary; the sources are shared with the other reviewers.</p>
      {restored && dirty && (
        <p className="notice notice--warn">
          Restored what you typed on <DateTime value={restored.at} /> and had not saved yet.
        </p>
      )}
      {conflict ? (
        <p className="notice notice--warn" role="alert">
          Your proposal was saved from another window meanwhile; what you typed here is kept. Save again to keep it.
        </p>
      ) : (
        <ProblemMessage error={save.error} fields={['rating', 'summary', 'explanation']} />
      )}
      <Field label="Your rating" name="rating" error={save.error ?? submitIt.error}>
        {(p) => (
          <select {...p} value={values.rating} onChange={(e) => set('rating', e.target.value)}>
            <option value="">Undecided</option>
            {scale?.map((r) => (
              <option key={r.key} value={r.key}>
                {r.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Your summary"
        name="summary"
        error={save.error ?? submitIt.error}
        hint={`One sentence. ${SUMMARY_MAX - summaryLeft} of ${SUMMARY_MAX} characters.`}
      >
        {(p) => <textarea {...p} rows={2} value={values.summary} onChange={(e) => set('summary', e.target.value)} />}
      </Field>
      <Field label="Your explanation" name="explanation" error={save.error} hint={`Markdown, up to ${EXPLANATION_MAX.toLocaleString()} characters.`}>
        {(p) => <textarea {...p} rows={5} value={values.explanation} onChange={(e) => set('explanation', e.target.value)} />}
      </Field>
      <ProblemMessage error={submitIt.error} fields={['rating', 'summary']} />
      <div className="button-row">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save proposal'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={submitIt.isPending || dirty || !draft}
          title={dirty ? 'Save your proposal first' : undefined}
          onClick={() => submitIt.mutate()}
        >
          Submit your proposal
        </button>
        {dirty && <span className="badge badge--warn">Unsaved changes</span>}
      </div>
    </form>
  );
}
