/** The workflow buttons: exactly the claim's allowed transitions, a publish link, and delete for drafts. */
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useDeleteClaim, useTransitionClaim } from '../../api/claims';
import { ApiError, type Claim } from '../../api/client';
import {
  COMMENT_ACTIONS,
  humanize,
  needsComment,
  TRANSITION_DONE,
  TRANSITION_LABELS,
  transitionActions,
  type TransitionAction,
} from '../../lib/claimPage';
import { Field, ProblemMessage } from '../forms';
import type { Announce } from './shared';

interface Props {
  claim: Claim;
  editor: boolean;
  announce: Announce;
}

/** A 409 from a transition: the claim moved on; say where it is and what can be done now. */
function ConflictDetail({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const { current_status, allowed_actions } = error.problem;
  if (!current_status && !allowed_actions) return <p>The page has been refreshed.</p>;
  const shown = (allowed_actions ?? []).filter((a) => a !== 'assign' && a !== 'unassign');
  return (
    <p>
      {current_status && <>The claim is now {humanize(current_status).toLowerCase()}. </>}
      {allowed_actions &&
        (shown.length > 0
          ? `You can now: ${shown.map((a) => (a in TRANSITION_LABELS ? TRANSITION_LABELS[a as TransitionAction] : humanize(a))).join(', ')}.`
          : 'There is nothing you can do to it now.')}{' '}
      The page has been refreshed.
    </p>
  );
}

export function ActionsSection({ claim, editor, announce }: Props) {
  const navigate = useNavigate();
  const [pending, setPending] = useState<keyof typeof COMMENT_ACTIONS | null>(null);
  const [comment, setComment] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  // With independent reviews, proposals are submitted, withdrawn and approved in the
  // reviews panel, where each one is named.
  const actions = transitionActions(claim.allowed_actions).filter(
    (a) => !(claim.independent_review && (a === 'approve' || a === 'submit' || a === 'withdraw')),
  );
  const canPublish = editor && claim.allowed_actions.includes('publish');
  const canDelete = editor && claim.status === 'draft';

  const transition = useTransitionClaim<TransitionAction>(claim.id, {
    onSuccess: (updated, v) => {
      setPending(null);
      setComment('');
      announce(`${TRANSITION_DONE[v.action]} The claim is now ${humanize(updated.status).toLowerCase()}.`);
    },
  });

  // A refused submit lists what the verdict lacks; once the verdict or the sources
  // change, that list is out of date and goes (the next submit says what still lacks).
  const evidence = `${claim.draft_verdict?.version ?? 0}:${(claim.sources ?? []).map((s) => `${s.id}@${s.version}`).join(',')}`;
  const { error: transitionError, reset: resetTransition } = transition;
  useEffect(() => {
    if (transitionError instanceof ApiError && transitionError.status === 422) resetTransition();
    // Only a change of the evidence clears it, not the error's own arrival.
  }, [evidence]);

  const remove = useDeleteClaim(claim, {
    onSuccess: () => navigate(`/articles/${claim.article_id}`),
  });

  function start(action: TransitionAction) {
    transition.reset();
    if (needsComment(action)) {
      setPending(action);
      return;
    }
    setPending(null);
    transition.mutate({ action });
  }

  function sendWithComment(e: FormEvent) {
    e.preventDefault();
    if (pending) transition.mutate({ action: pending, comment: comment.trim() });
  }

  if (actions.length === 0 && !canPublish && !canDelete) return null;

  return (
    <section aria-labelledby="claim-actions-h" className="panel claim-actions">
      <h2 id="claim-actions-h">Actions</h2>
      <div className="button-row">
        {actions.map((a) => (
          <button
            key={a}
            type="button"
            className={a === 'drop' ? 'danger' : a === 'approve' || a === 'submit' || a === 'start' ? 'primary' : undefined}
            aria-expanded={needsComment(a) ? pending === a : undefined}
            disabled={transition.isPending}
            onClick={() => start(a)}
          >
            {TRANSITION_LABELS[a]}
          </button>
        ))}
        {canPublish && (
          <Link className="button-link" to={`/articles/${claim.article_id}/publish`}>
            Publish…
          </Link>
        )}
        {canDelete && !confirmDelete && (
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
            Delete claim
          </button>
        )}
      </div>

      {pending && (
        <form onSubmit={sendWithComment} noValidate className="claim-subform">
          <Field
            label="Comment"
            name="comment"
            error={transition.error}
            hint={
              pending === 'request_changes'
                ? 'What should the reviewers change? They get it by email.'
                : pending === 'reopen'
                  ? 'Why the claim is reopened. For a published claim this is a correction.'
                  : 'Why the claim is dropped.'
            }
          >
            {(p) => (
              <textarea
                {...p}
                rows={3}
                required
                autoFocus
                value={comment}
                onChange={(e) => setComment(e.target.value)}
              />
            )}
          </Field>
          <div className="button-row">
            <button
              type="submit"
              className={pending === 'drop' ? 'danger' : 'primary'}
              disabled={transition.isPending}
            >
              {COMMENT_ACTIONS[pending]}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setPending(null);
                transition.reset();
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}

      {transition.error instanceof ApiError && transition.error.status === 409 ? (
        <div className="notice notice--bad" role="alert">
          <strong>{transition.error.problem.title}</strong>
          {transition.error.problem.detail && <span> {transition.error.problem.detail}</span>}
          <ConflictDetail error={transition.error} />
        </div>
      ) : (
        <ProblemMessage error={transition.error} fields={pending ? ['comment'] : []} />
      )}

      {canDelete && confirmDelete && (
        <div className="notice notice--warn" role="group" aria-labelledby="claim-delete-q">
          <p id="claim-delete-q">Delete this claim? It is removed from the article; this cannot be undone.</p>
          <div className="button-row">
            <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
              Yes, delete claim
            </button>
            <button type="button" className="secondary" autoFocus onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ProblemMessage error={remove.error} />
    </section>
  );
}
