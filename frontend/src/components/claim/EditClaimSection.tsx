/**
 * Editing a claim while it is still being checked: its statement, claimant, date,
 * priority, and where it sits in the article (choose new words in the text). Saved
 * with If-Match; an approved or published claim changes only after a reopen.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { useArticle } from '../../api/articles';
import { useUpdateClaim } from '../../api/claims';
import { ApiError, type Claim, type Priority } from '../../api/client';
import { useLastChange } from '../../api/live';
import { PRIORITIES, PRIORITY_LABELS } from '../../lib/labels';
import { ArticleText, type TextSelection } from '../article/ArticleText';
import { ChangedElsewhere, ConflictNotice, conflictFromLive } from '../Conflict';
import { Field, ProblemMessage } from '../forms';
import type { Announce } from './shared';

const FIELDS = ['statement', 'claimant', 'claimed_at', 'priority', 'independent_review', 'span_start', 'span_end'];

interface Values {
  statement: string;
  claimant: string;
  claimedOn: string;
  priority: Priority;
  independent: boolean;
}

function valuesOf(c: Claim): Values {
  return {
    statement: c.statement,
    claimant: c.claimant ?? '',
    claimedOn: c.claimed_at ? c.claimed_at.slice(0, 10) : '',
    priority: c.priority,
    independent: c.independent_review,
  };
}

export function EditClaimForm({
  claim,
  article,
  announce,
  onDone,
}: {
  claim: Claim;
  article: ReturnType<typeof useArticle>;
  announce: Announce;
  onDone: () => void;
}) {
  const headingId = useId();
  const [values, setValues] = useState<Values>(() => valuesOf(claim));
  const [base, setBase] = useState<Claim>(claim);
  const [moving, setMoving] = useState(false);
  const [span, setSpan] = useState<TextSelection | null>(null);
  const set = <K extends keyof Values>(k: K, v: Values[K]) => setValues((old) => ({ ...old, [k]: v }));

  const save = useUpdateClaim(claim.id, {
    onSuccess: () => {
      announce('Claim saved.');
      onDone();
    },
  });

  function saveOver(version: number) {
    save.mutate({
      version,
      body: {
        statement: values.statement,
        claimant: values.claimant.trim(),
        claimed_at: values.claimedOn ? new Date(`${values.claimedOn}T12:00:00Z`).toISOString() : null,
        priority: values.priority,
        ...(values.independent !== base.independent_review ? { independent_review: values.independent } : {}),
        ...(span ? { span_start: span.span_start, span_end: span.span_end } : {}),
      },
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    saveOver(base.version);
  }

  /**
   * Someone else saved the claim while this form is open (the live desk refetched it):
   * untouched, the form shows the new claim; with typing in it, it says so at once and
   * offers the choice a 412 would, before a save is tried.
   */
  const dirty = span !== null || JSON.stringify(values) !== JSON.stringify(valuesOf(base));
  const lastChange = useLastChange(claim.id, 'claim');
  const [shown, setShown] = useState<ApiError | null>(null);
  // A new version that left these fields alone (a status change, say) is taken in quietly.
  const fieldsDiffer =
    JSON.stringify(valuesOf(claim)) !== JSON.stringify(valuesOf(base)) ||
    claim.span_start !== base.span_start ||
    claim.span_end !== base.span_end;
  useEffect(() => {
    if (claim.version === base.version) return;
    if (!dirty) {
      setBase(claim);
      setValues(valuesOf(claim));
    } else if (!fieldsDiffer) {
      setBase(claim);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [claim.version]);
  const changedElsewhere = dirty && fieldsDiffer;
  function showChanges() {
    setShown(conflictFromLive(claim, lastChange, claim.updated_at));
  }


  const conflictError = save.error instanceof ApiError && save.error.status === 412 ? save.error : shown;
  const conflict = conflictError !== null;
  const body = article.data?.body;

  return (
    <form onSubmit={submit} noValidate aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>Edit the claim</h2>
      {changedElsewhere && !conflict && (
        <ChangedElsewhere lastChange={lastChange} entity="claim" testId="claim-changed-elsewhere" onShow={showChanges} />
      )}
      {conflict ? (
        <ConflictNotice
          error={conflictError}
          mine={valuesOf(base) as unknown as Record<string, unknown>}
          labels={{ statement: 'Statement', claimant: 'Claimant', priority: 'Priority' }}
          onKeepMine={(current) => {
            const cur = current as Claim;
            setBase(cur);
            setShown(null);
            saveOver(cur.version);
          }}
          onDiscard={(current) => {
            const cur = current as Claim;
            setBase(cur);
            setValues(valuesOf(cur));
            setSpan(null);
            setShown(null);
            save.reset();
          }}
        />
      ) : (
        <ProblemMessage error={save.error} fields={FIELDS} />
      )}
      <Field label="Statement" name="statement" error={save.error} hint="The claim as it is checked.">
        {(p) => <textarea {...p} rows={2} value={values.statement} onChange={(e) => set('statement', e.target.value)} />}
      </Field>
      <div className="form-grid">
        <Field label="Claimant" name="claimant" error={save.error} hint="Who said it; empty for nobody named.">
          {(p) => <input {...p} value={values.claimant} onChange={(e) => set('claimant', e.target.value)} />}
        </Field>
        <Field label="Claimed on" name="claimed_at" error={save.error}>
          {(p) => <input {...p} type="date" value={values.claimedOn} onChange={(e) => set('claimedOn', e.target.value)} />}
        </Field>
        <Field label="Priority" name="priority" error={save.error}>
          {(p) => (
            <select {...p} value={values.priority} onChange={(e) => set('priority', e.target.value as Priority)}>
              {PRIORITIES.map((k) => (
                <option key={k} value={k}>
                  {PRIORITY_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="field">
        <label>
          <input
            type="checkbox"
            name="independent_review"
            checked={values.independent}
            disabled={claim.evidence_locked}
            onChange={(e) => set('independent', e.target.checked)}
          />{' '}
          Independent review: each reviewer rates it on their own (at least two reviewers), and the ratings stay
          hidden from each other until all are in
        </label>
      </div>
      <fieldset className="claim-span">
        <legend>Quote</legend>
        <p>
          {span ? 'New quote: ' : 'Now: '}
          <q data-testid="edit-quote">{span ? span.quote : claim.quote}</q>
          {claim.anchor_lost && !span && <span className="badge badge--warn">Anchor lost</span>}
        </p>
        {!moving ? (
          <button type="button" onClick={() => setMoving(true)} disabled={body == null}>
            Choose other words in the article
          </button>
        ) : (
          <>
            <p className="muted">Select the words in the text below; the quote becomes what you select.</p>
            <ArticleText body={body ?? ''} claims={[claim]} onSelect={(s) => s && setSpan(s)} />
          </>
        )}
      </fieldset>
      <div className="button-row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save claim'}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
