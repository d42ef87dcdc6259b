/** The verdict: the submitted/approved one read-only, and the shared draft as a form. */
import { useEffect, useState, type FormEvent } from 'react';
import { useFetchClaim, useRefreshClaim } from '../../api/claims';
import { setEditing, useLastChange } from '../../api/live';
import { ApiError, type Claim, type Rating, type Verdict } from '../../api/client';
import { useSaveVerdict } from '../../api/evidence';
import { useUser } from '../../auth/session';
import { charactersLeft, humanize } from '../../lib/claimPage';
import { draftKey, readDraft, usePersistedDraft } from '../../lib/drafts';
import { ChangedElsewhere, ConflictNotice, conflictFromLive } from '../Conflict';
import { DateTime, Field, ProblemMessage } from '../forms';
import { RatingLabel, useRatingScale } from '../rating';
import type { Announce } from './shared';

export const SUMMARY_MAX = 280;
export const EXPLANATION_MAX = 20_000;

interface Props {
  claim: Claim;
  mayEdit: boolean;
  locked: boolean;
  announce: Announce;
  /** Names of users this page knows (reviewers, the signed-in user), for "approved by". */
  names: Map<string, string>;
}

export function VerdictSection({ claim, mayEdit, locked, announce, names }: Props) {
  const scale = useRatingScale();
  const verdict = claim.verdict;
  const draft = claim.draft_verdict;
  return (
    <section aria-labelledby="claim-verdict-h" className="panel">
      <h2 id="claim-verdict-h">Verdict</h2>
      {scale.isError && (
        <p className="notice notice--bad" role="alert">
          The rating scale could not be loaded: {scale.error.message}
        </p>
      )}
      {verdict && (
        <VerdictView
          title={verdict.state === 'approved' ? 'Approved verdict' : `${humanize(verdict.state)} verdict`}
          verdict={verdict}
          scale={scale.data}
          names={names}
        />
      )}
      {claim.independent_review ? (
        !verdict && (
          <p className="muted">
            This claim has independent reviews: each reviewer proposes a rating of their own, and the one an editor
            approves becomes the verdict.
          </p>
        )
      ) : mayEdit && !locked ? (
        <VerdictForm claim={claim} scale={scale.data} announce={announce} />
      ) : (
        <>
          {mayEdit && locked && (
            <p className="muted">The verdict is locked while the claim is {humanize(claim.status).toLowerCase()}.</p>
          )}
          {draft && draft.id !== verdict?.id && (
            <VerdictView title="Draft verdict" verdict={draft} scale={scale.data} names={names} />
          )}
          {!verdict && !draft && <p className="muted">No verdict yet.</p>}
        </>
      )}
    </section>
  );
}

export function VerdictView({
  title,
  verdict,
  scale,
  names,
}: {
  title: string;
  verdict: Verdict;
  scale?: Rating[];
  names: Map<string, string>;
}) {
  return (
    <div className="claim-verdict">
      <h3>{title}</h3>
      <dl className="claim-dl">
        <dt>Rating</dt>
        <dd>
          <RatingLabel rating={verdict.rating} scale={scale} />
        </dd>
        <dt>Summary</dt>
        <dd>{verdict.summary || <span className="muted">—</span>}</dd>
        {verdict.submitted_at && (
          <>
            <dt>Submitted</dt>
            <dd>
              <DateTime value={verdict.submitted_at} />
            </dd>
          </>
        )}
        {verdict.approved_at && (
          <>
            <dt>Approved</dt>
            <dd>
              <DateTime value={verdict.approved_at} />
              {verdict.approved_by && <> by {names.get(verdict.approved_by) ?? 'an editor'}</>}
            </dd>
          </>
        )}
      </dl>
      {verdict.explanation && (
        <>
          <h4>Explanation</h4>
          {verdict.explanation_html != null ? (
            // The server renders the Markdown and sanitises the HTML (ammonia), as for
            // the public page, so this shows what readers will see.
            <div className="claim-explanation" dangerouslySetInnerHTML={{ __html: verdict.explanation_html }} />
          ) : (
            <div className="pre-wrap claim-explanation">{verdict.explanation}</div>
          )}
        </>
      )}
    </div>
  );
}

interface Values {
  rating: string;
  summary: string;
  explanation: string;
}

function valuesOf(v?: Verdict | null): Values {
  return { rating: v?.rating ?? '', summary: v?.summary ?? '', explanation: v?.explanation ?? '' };
}

/** Wraps a 412 so its `current` is the draft verdict (the server sends the whole claim). */
function asVerdictConflict(error: ApiError, currentDraft: Verdict | null | undefined): ApiError {
  return new ApiError({
    ...error.problem,
    status: 412,
    title: error.problem.status === 412 ? error.problem.title : 'Version conflict',
    current: currentDraft ?? null,
  });
}

function VerdictForm({ claim, scale, announce }: { claim: Claim; scale?: Rating[]; announce: Announce }) {
  const refresh = useRefreshClaim(claim.id);
  const fetchClaim = useFetchClaim();
  const draft = claim.draft_verdict ?? null;
  const storeKey = draftKey(useUser().id, 'claim', claim.id, 'verdict');
  // What was typed here and not saved (a reload, a menu click, an expired session).
  const [restored] = useState(() => readDraft<Values>(storeKey));
  const [values, setValues] = useState<Values>(() => restored?.values ?? valuesOf(draft));
  /**
   * The draft the typing started from; its version goes in If-Match. A restored draft
   * keeps the version it was typed over, so a change made since then is a 412 with the
   * "keep mine / load theirs" choice, never overwritten unseen.
   */
  const [base, setBase] = useState<Verdict | null>(() =>
    restored && draft && restored.base !== null ? { ...draft, version: restored.base } : draft,
  );
  const [dirty, setDirty] = useState(restored !== null);
  const [restoredAt, setRestoredAt] = useState(restored?.at ?? null);
  const [conflict, setConflict] = useState<ApiError | null>(null);
  usePersistedDraft(storeKey, values, dirty, base?.version ?? null);

  // Others see that this form is being typed in.
  useEffect(() => {
    setEditing(claim.id, 'verdict', dirty);
    return () => setEditing(claim.id, 'verdict', false);
  }, [claim.id, dirty]);

  /**
   * The draft changed on the server (the live desk refetched it) while the user types:
   * say so at once, and offer the same choice a 412 would, before a save is tried.
   */
  const lastChange = useLastChange(claim.id, 'verdict');
  const changedElsewhere = dirty && draft !== null && (base === null || draft.version !== base.version);
  function showChanges() {
    setConflict(conflictFromLive(draft, lastChange, draft?.updated_at ?? new Date().toISOString()));
  }


  // When the draft changes on the server and the user has not typed, show the new one.
  useEffect(() => {
    if (!dirty) {
      setBase(draft);
      setValues(valuesOf(draft));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft?.id, draft?.version]);

  const set = (k: keyof Values, v: string) => {
    setDirty(true);
    setValues((old) => ({ ...old, [k]: v }));
  };

  // After onError, a failure other than 412 or 428 refreshes the claim (the hook does that).
  const save = useSaveVerdict(claim.id, {
    onMutate: () => setConflict(null),
    onSuccess: (updated) => {
      const saved = updated.draft_verdict ?? null;
      setBase(saved);
      setValues(valuesOf(saved));
      setDirty(false);
      setRestoredAt(null);
      announce('Verdict saved.');
    },
    onError: async (e) => {
      if (e instanceof ApiError && e.status === 412) {
        const current = (e.problem.current as Claim | undefined)?.draft_verdict;
        setConflict(asVerdictConflict(e, current));
      } else if (e instanceof ApiError && e.status === 428) {
        // Someone created the draft after this page loaded: fetch it and treat it as a conflict.
        try {
          const fresh = await fetchClaim(claim.id);
          setConflict(asVerdictConflict(e, fresh.draft_verdict));
        } catch {
          /* the error below stays visible */
        }
      }
    },
  });

  /** Saves the form over `over` (its version goes in `If-Match`), or as a new draft. */
  function saveOver(over: Verdict | null) {
    save.mutate({
      over,
      body: { rating: values.rating || null, summary: values.summary, explanation: values.explanation },
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    saveOver(base);
  }

  const summaryLeft = charactersLeft(values.summary, SUMMARY_MAX);
  const explanationLeft = charactersLeft(values.explanation, EXPLANATION_MAX);
  const selected = scale?.find((r) => r.key === values.rating);
  const shownError = conflict ? null : save.error;

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-labelledby="claim-verdict-form-h"
      className={claim.verdict ? 'claim-subform' : undefined}
    >
      <h3 id="claim-verdict-form-h">{draft ? 'Draft verdict' : 'Write the verdict'}</h3>
      {draft && (
        <p className="claim-meta">
          Last saved <DateTime value={draft.updated_at} />
          {dirty && <span className="badge badge--warn">Unsaved changes</span>}
        </p>
      )}
      {restoredAt && dirty && (
        <p className="notice notice--warn" data-testid="draft-restored">
          Restored what you typed on <DateTime value={restoredAt} /> and had not saved yet.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setValues(valuesOf(draft));
              setBase(draft);
              setDirty(false);
              setRestoredAt(null);
            }}
          >
            Discard it
          </button>
        </p>
      )}
      {changedElsewhere && !conflict && (
        <ChangedElsewhere lastChange={lastChange} entity="verdict" testId="changed-elsewhere" onShow={showChanges} />
      )}
      {conflict && (
        <ConflictNotice
          error={conflict}
          mine={(base ?? { rating: null, summary: '', explanation: '' }) as unknown as Record<string, unknown>}
          labels={{ rating: 'Rating', summary: 'Summary', explanation: 'Explanation' }}
          onKeepMine={(current) => {
            const cur = (current as Verdict | null) ?? null;
            setBase(cur);
            setConflict(null);
            saveOver(cur);
          }}
          onDiscard={(current) => {
            const cur = (current as Verdict | null) ?? null;
            setBase(cur);
            setValues(valuesOf(cur));
            setDirty(false);
            setRestoredAt(null);
            setConflict(null);
            save.reset();
            void refresh();
          }}
        />
      )}
      {shownError instanceof ApiError && shownError.status === 428 ? null : (
        <ProblemMessage error={shownError} fields={['rating', 'summary', 'explanation']} />
      )}
      <Field
        label="Rating"
        name="rating"
        error={shownError}
        hint={
          selected ? (
            <>
              <span className="rating-swatch" aria-hidden="true" style={{ backgroundColor: selected.color }} />
              {selected.description || selected.label}
            </>
          ) : undefined
        }
      >
        {(p) => (
          <select {...p} value={values.rating} onChange={(e) => set('rating', e.target.value)}>
            <option value="">Undecided</option>
            {scale?.map((r) => (
              <option key={r.key} value={r.key}>
                {r.label}
              </option>
            ))}
            {values.rating && scale && !selected && <option value={values.rating}>{values.rating}</option>}
          </select>
        )}
      </Field>
      {scale && scale.length > 0 && (
        <details className="rating-legend">
          <summary>The rating scale</summary>
          <ul className="plain">
            {scale.map((r) => (
              <li key={r.key}>
                <span className="rating-swatch" aria-hidden="true" style={{ backgroundColor: r.color }} />
                <strong>{r.label}</strong>
                {r.description && <>: {r.description}</>}
              </li>
            ))}
          </ul>
        </details>
      )}
      <Field
        label="Summary"
        name="summary"
        error={shownError}
        hint={
          <span className={summaryLeft < 0 ? 'count--over' : undefined}>
            {summaryLeft >= 0
              ? `One sentence. ${SUMMARY_MAX - summaryLeft} of ${SUMMARY_MAX} characters.`
              : `One sentence. ${-summaryLeft} characters too many (${SUMMARY_MAX - summaryLeft} of ${SUMMARY_MAX}).`}
          </span>
        }
      >
        {(p) => <textarea {...p} rows={3} value={values.summary} onChange={(e) => set('summary', e.target.value)} />}
      </Field>
      <Field
        label="Explanation"
        name="explanation"
        error={shownError}
        hint={
          <span className={explanationLeft < 0 ? 'count--over' : undefined}>
            Markdown. {(EXPLANATION_MAX - explanationLeft).toLocaleString()} of {EXPLANATION_MAX.toLocaleString()}{' '}
            characters.
          </span>
        }
      >
        {(p) => (
          <textarea
            {...p}
            rows={10}
            value={values.explanation}
            onChange={(e) => set('explanation', e.target.value)}
          />
        )}
      </Field>
      <div className="button-row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save verdict'}
        </button>
        <span role="status" className="saved-note">
          {save.isSuccess && !dirty ? 'Saved' : ''}
        </span>
      </div>
    </form>
  );
}
