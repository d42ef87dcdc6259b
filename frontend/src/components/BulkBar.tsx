/**
 * Bulk work on the claims list: with claims ticked, assign them to one reviewer with
 * one due time, change their priority, or drop them. The server does each claim on its
 * own and says which were refused and why; the refused ones stay ticked.
 */
import { useId, useState, type FormEvent } from 'react';
import { useBulkClaims, type BulkAnswer, type BulkRequest } from '../api/claims';
import type { Claim, Priority } from '../api/client';
import { useActiveReviewers } from '../api/users';
import { datetimeLocalToIso, defaultDue } from '../lib/claimPage';
import { PRIORITIES, PRIORITY_LABELS } from '../lib/labels';
import { Field, ProblemMessage } from './forms';

type Mode = 'assign' | 'priority' | 'drop';

export function BulkBar({
  selected,
  rows,
  onDone,
}: {
  selected: string[];
  rows: Claim[];
  /** Called with the ids that were refused (they stay selected). */
  onDone: (refused: string[]) => void;
}) {
  const headingId = useId();
  const [mode, setMode] = useState<Mode>('assign');
  const [reviewerId, setReviewerId] = useState('');
  const [due, setDue] = useState(() => defaultDue(new Date()));
  const [note, setNote] = useState('');
  const [priority, setPriority] = useState<Priority>('high');
  const [comment, setComment] = useState('');
  const [answer, setAnswer] = useState<BulkAnswer | null>(null);
  const reviewers = useActiveReviewers();
  const statements = new Map(rows.map((c) => [c.id, c.statement]));

  const bulk = useBulkClaims({
    onSuccess: (a) => {
      setAnswer(a);
      onDone(a.results.filter((r) => !r.ok).map((r) => r.claim_id));
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setAnswer(null);
    if (mode === 'assign') {
      const dueAt = datetimeLocalToIso(due);
      // What is not chosen yet is left out, and the server names each missing field.
      bulk.mutate({
        action: 'assign',
        claim_ids: selected,
        ...(reviewerId ? { reviewer_id: reviewerId } : {}),
        ...(dueAt ? { due_at: dueAt } : {}),
        note: note.trim() || null,
      } as BulkRequest);
    } else if (mode === 'priority') {
      bulk.mutate({ action: 'priority', claim_ids: selected, priority });
    } else {
      bulk.mutate({ action: 'drop', claim_ids: selected, comment });
    }
  }

  const done = { assign: 'assigned', priority: 'changed', drop: 'dropped' }[mode];
  const result = (
    <div role="status">
      {answer && (
        <div className={`notice ${answer.failed ? 'notice--warn' : 'notice--ok'}`} data-testid="bulk-result">
          <p>
            {answer.succeeded} claim{answer.succeeded === 1 ? '' : 's'} {done}.
            {answer.failed > 0 && ` ${answer.failed} not (still selected):`}
          </p>
          {answer.failed > 0 && (
            <ul>
              {answer.results
                .filter((r) => !r.ok)
                .map((r) => (
                  <li key={r.claim_id}>
                    “{statements.get(r.claim_id) ?? r.claim_id}”: {r.problem?.detail ?? r.problem?.title}
                  </li>
                ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
  if (selected.length === 0) {
    return (
      <div className="bulk-hint">
        {result}
        <p className="muted">Tick claims to assign, re-prioritise or drop several at once.</p>
      </div>
    );
  }
  return (
    <form className="panel bulk-bar" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId}>
        {selected.length} claim{selected.length === 1 ? '' : 's'} selected
      </h2>
      <div className="button-row" role="radiogroup" aria-label="What to do">
        {(['assign', 'priority', 'drop'] as const).map((m) => (
          <label key={m} className="inline">
            <input type="radio" name="bulk-mode" checked={mode === m} onChange={() => setMode(m)} />{' '}
            {{ assign: 'Assign', priority: 'Change priority', drop: 'Drop' }[m]}
          </label>
        ))}
      </div>
      <ProblemMessage error={bulk.error} fields={['reviewer_id', 'due_at', 'note', 'priority', 'comment', 'claim_ids']} />
      {mode === 'assign' && (
        <div className="form-grid">
          <Field label="Reviewer" name="reviewer_id" error={bulk.error}>
            {(p) => (
              <select {...p} value={reviewerId} onChange={(e) => setReviewerId(e.target.value)}>
                <option value="">Choose a reviewer</option>
                {(reviewers.data?.items ?? []).map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.display_name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Due" name="due_at" error={bulk.error} hint="In your computer's time zone.">
            {(p) => <input {...p} type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />}
          </Field>
          <Field label="Note to the reviewer" name="note" error={bulk.error}>
            {(p) => <input {...p} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
        </div>
      )}
      {mode === 'priority' && (
        <Field label="New priority" name="priority" error={bulk.error}>
          {(p) => (
            <select {...p} value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
              {PRIORITIES.map((k) => (
                <option key={k} value={k}>
                  {PRIORITY_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {mode === 'drop' && (
        <Field label="Why drop them" name="comment" error={bulk.error} hint="Kept in each claim's history.">
          {(p) => <input {...p} value={comment} onChange={(e) => setComment(e.target.value)} />}
        </Field>
      )}
      <button type="submit" className={mode === 'drop' ? 'danger' : 'primary'} disabled={bulk.isPending}>
        {bulk.isPending
          ? 'Working…'
          : `${{ assign: 'Assign', priority: 'Change priority of', drop: 'Drop' }[mode]} ${selected.length} claim${selected.length === 1 ? '' : 's'}`}
      </button>
      {result}
    </form>
  );
}
