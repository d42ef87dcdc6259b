/** Who checks the claim and by when; editors assign and unassign here. */
import { useId, useState, type FormEvent } from 'react';
import { useAssignReviewer, useUnassignReviewer } from '../../api/claims';
import { ApiError, type Claim } from '../../api/client';
import { useActiveReviewers } from '../../api/users';
import { datetimeLocalToIso, defaultDue } from '../../lib/claimPage';
import { Deadline, Field, ProblemMessage } from '../forms';
import type { Announce } from './shared';

interface Props {
  claim: Claim;
  editor: boolean;
  userId: string;
  announce: Announce;
}

export function AssignmentsSection({ claim, editor, userId, announce }: Props) {
  const canUnassign = editor && claim.allowed_actions.includes('unassign');
  const canAssign = editor && claim.allowed_actions.includes('assign');
  const idBase = useId();

  const unassign = useUnassignReviewer(claim.id, {
    onSuccess: (_updated, userId) => {
      const name = claim.assignments.find((a) => a.reviewer_id === userId)?.reviewer_name;
      announce(`${name ?? 'The reviewer'} was unassigned.`);
    },
  });

  return (
    <section aria-labelledby="claim-assign-h" className="panel">
      <h2 id="claim-assign-h">Reviewers</h2>
      {claim.assignments.length === 0 ? (
        <p className="muted">No reviewer is assigned yet.</p>
      ) : (
        <ul className="plain">
          {claim.assignments.map((a) => {
            const nameId = `${idBase}-${a.reviewer_id}`;
            return (
              <li key={a.id} className="claim-item">
                <p className="claim-item-head">
                  <strong id={nameId}>{a.reviewer_name}</strong>
                  {a.reviewer_inactive && (
                    <span className="badge badge--bad">Reviewer inactive</span>
                  )}
                  {a.overdue && <span className="badge badge--bad">Overdue</span>}
                </p>
                <p className="claim-meta">
                  Due <Deadline value={a.due_at} />
                </p>
                {(editor || a.reviewer_id === userId) && a.note && <p className="pre-wrap">{a.note}</p>}
                {canUnassign && (
                  <button
                    type="button"
                    className="danger"
                    aria-describedby={nameId}
                    disabled={unassign.isPending}
                    onClick={() => unassign.mutate(a.reviewer_id)}
                  >
                    Unassign
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <ProblemMessage error={unassign.error} />
      {canAssign && <AssignForm claim={claim} announce={announce} />}
    </section>
  );
}

function localError(field: string, message: string) {
  return new ApiError({
    type: 'about:blank',
    title: 'Check the form',
    status: 422,
    errors: [{ field, message }],
  });
}

function AssignForm({ claim, announce }: { claim: Claim; announce: Announce }) {
  const [reviewerId, setReviewerId] = useState('');
  const [due, setDue] = useState(() => defaultDue(new Date()));
  const [note, setNote] = useState('');
  const [checkError, setCheckError] = useState<ApiError | null>(null);

  const reviewers = useActiveReviewers();

  const assign = useAssignReviewer(claim.id, {
    onSuccess: (_updated, body) => {
      const name =
        reviewers.data?.items.find((u) => u.id === body.reviewer_id)?.display_name ?? 'The reviewer';
      const again = claim.assignments.some((a) => a.reviewer_id === body.reviewer_id);
      announce(again ? `${name}'s due time and note were updated.` : `${name} was assigned.`);
      setReviewerId('');
      setNote('');
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setCheckError(null);
    if (!reviewerId) {
      setCheckError(localError('reviewer_id', 'Choose a reviewer.'));
      return;
    }
    const dueAt = datetimeLocalToIso(due);
    if (!dueAt) {
      setCheckError(localError('due_at', 'Enter a due date and time.'));
      return;
    }
    assign.mutate({ reviewer_id: reviewerId, due_at: dueAt, note: note.trim() || null });
  }

  const error = checkError ?? assign.error;
  const assigned = new Set(claim.assignments.map((a) => a.reviewer_id));

  return (
    <form onSubmit={submit} noValidate aria-labelledby="claim-assign-form-h">
      <h3 id="claim-assign-form-h">Assign a reviewer</h3>
      <ProblemMessage error={assign.error} fields={['reviewer_id', 'due_at', 'note']} />
      {reviewers.isError && (
        <p className="notice notice--bad" role="alert">
          The list of reviewers could not be loaded: {reviewers.error.message}
        </p>
      )}
      <Field
        label="Reviewer"
        name="reviewer_id"
        error={error}
        hint={
          assigned.size > 0 ? 'Choosing someone already assigned changes their due time and note.' : undefined
        }
      >
        {(p) => (
          <select {...p} value={reviewerId} onChange={(e) => setReviewerId(e.target.value)} required>
            <option value="">{reviewers.isPending ? 'Loading reviewers…' : 'Choose a reviewer'}</option>
            {reviewers.data?.items.map((u) => (
              <option key={u.id} value={u.id}>
                {u.display_name}
                {assigned.has(u.id) ? ' (assigned)' : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Due" name="due_at" error={error} hint="In your computer's time zone.">
        {(p) => (
          <input {...p} type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} required />
        )}
      </Field>
      <Field label="Note" name="note" error={error}>
        {(p) => <textarea {...p} value={note} onChange={(e) => setNote(e.target.value)} rows={3} />}
      </Field>
      <button type="submit" className="primary" disabled={assign.isPending}>
        {assign.isPending ? 'Assigning…' : 'Assign'}
      </button>
    </form>
  );
}
