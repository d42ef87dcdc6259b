/**
 * A numeric claim's figures side by side: what was claimed ("4%", the approval rating
 * of …) and what the reviewer found (57%, from which source, for which period), with
 * how far apart they are. Editors set the claimed figure; editors and the claim's
 * reviewers record the checked one while the evidence is open.
 */
import { useId, useState, type FormEvent } from 'react';
import { ApiError, type Claim } from '../../api/client';
import { useSaveFigure, type CheckedFigureRequest, type ClaimedFigure } from '../../api/figures';
import { useUser } from '../../auth/session';
import { differenceWords, plainDecimal, ratioWords } from '../../lib/claimFigure';
import { clearDraft, draftKey, readDraft, usePersistedDraft } from '../../lib/drafts';
import { DateTime, Field, ProblemMessage } from '../forms';
import type { Announce } from './shared';

interface Props {
  claim: Claim;
  /** The caller is an editor and the claim's wording may change (not yet approved). */
  mayEditClaimed: boolean;
  /** The caller may work on the evidence (editor or assigned reviewer) and it is open. */
  mayRecordChecked: boolean;
  announce: Announce;
}

type Open = 'claimed' | 'checked' | null;

export function FigureSection({ claim, mayEditClaimed, mayRecordChecked, announce }: Props) {
  const userId = useUser().id;
  const claimedKey = draftKey(userId, 'claim', claim.id, 'figure-claimed');
  const checkedKey = draftKey(userId, 'claim', claim.id, 'figure-checked');
  // A form typed in before a reload opens again.
  const [open, setOpen] = useState<Open>(() =>
    readDraft(claimedKey) ? 'claimed' : readDraft(checkedKey) ? 'checked' : null,
  );
  const figure = claim.figure;
  if (!figure && !mayEditClaimed) return null;
  const sourceOf = (id: string | null | undefined) => claim.sources?.find((s) => s.id === id);
  const source = sourceOf(figure?.checked?.source_id);
  const difference = figure ? differenceWords(figure) : null;
  const ratio = figure ? ratioWords(figure) : null;

  return (
    <section aria-labelledby="claim-figure-h" className="panel">
      <h2 id="claim-figure-h">The figure</h2>
      {!figure ? (
        <p className="muted">This claim states no figure to check against the real one.</p>
      ) : (
        <>
          <div className="figure-pair" data-testid="figure-pair">
            <div className="figure-side">
              <p className="figure-label">Claimed</p>
              <p className="figure-value">{figure.claimed_display}</p>
              <p className="claim-meta">
                {[figure.claimed.measure, figure.claimed.place, figure.claimed.period].filter(Boolean).join(' · ') || (
                  <span className="muted">What it measures is not said yet.</span>
                )}
              </p>
            </div>
            <div className="figure-side">
              <p className="figure-label">Checked</p>
              {figure.checked_display ? (
                <>
                  <p className="figure-value">{figure.checked_display}</p>
                  <p className="claim-meta">
                    {[source ? source.publisher || source.title || source.url : null, figure.checked?.period]
                      .filter(Boolean)
                      .join(' · ') || <span className="muted">No source or period named.</span>}
                  </p>
                </>
              ) : (
                <p className="muted">Not checked yet.</p>
              )}
            </div>
          </div>
          {(difference || ratio) && (
            <p className="figure-comparison">{[difference, ratio].filter(Boolean).join(' · ')}</p>
          )}
        </>
      )}
      {open === 'claimed' && (
        <ClaimedForm claim={claim} storeKey={claimedKey} announce={announce} onDone={() => setOpen(null)} />
      )}
      {open === 'checked' && (
        <CheckedForm claim={claim} storeKey={checkedKey} announce={announce} onDone={() => setOpen(null)} />
      )}
      {open === null && (
        <div className="button-row">
          {mayEditClaimed && (
            <button type="button" onClick={() => setOpen('claimed')}>
              {figure ? 'Edit the claimed figure' : 'Add a claimed figure'}
            </button>
          )}
          {figure && mayRecordChecked && (
            <button type="button" className={figure.checked ? '' : 'primary'} onClick={() => setOpen('checked')}>
              {figure.checked ? 'Change the checked figure' : 'Record the checked figure'}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

interface ClaimedValues {
  value: string;
  value_max: string;
  unit: string;
  measure: string;
  place: string;
  period: string;
  as_stated: string;
}

function claimedValues(f: ClaimedFigure | undefined): ClaimedValues {
  return {
    value: f?.value ?? '',
    value_max: f?.value_max ?? '',
    unit: f?.unit ?? 'percent',
    measure: f?.measure ?? '',
    place: f?.place ?? '',
    period: f?.period ?? '',
    as_stated: f?.as_stated ?? '',
  };
}

const CLAIMED_FIELDS = ['value', 'value_max', 'unit', 'measure', 'place', 'period', 'as_stated'].map(
  (f) => `figure.claimed.${f}`,
);

function RestoredNotice({ at }: { at: string }) {
  return (
    <p className="notice notice--warn">
      Restored what you typed on <DateTime value={at} /> and had not saved yet.
    </p>
  );
}

function ConflictLine({ error, onReload }: { error: unknown; onReload: () => void }) {
  if (!(error instanceof ApiError && error.status === 412)) return null;
  return (
    <p className="notice notice--warn" role="alert">
      Someone changed this claim while you typed. What you typed is still here; the page now shows their change.{' '}
      <button type="button" onClick={onReload}>
        Save mine over it
      </button>
    </p>
  );
}

function ClaimedForm({
  claim,
  storeKey,
  announce,
  onDone,
}: {
  claim: Claim;
  storeKey: string;
  announce: Announce;
  onDone: () => void;
}) {
  const headingId = useId();
  const [restored] = useState(() => readDraft<ClaimedValues>(storeKey));
  const saved = claimedValues(claim.figure?.claimed);
  const [values, setValues] = useState<ClaimedValues>(() => ({ ...saved, ...restored?.values }));
  const [base, setBase] = useState(() => restored?.base ?? claim.version);
  const dirty = JSON.stringify(values) !== JSON.stringify(saved);
  usePersistedDraft(storeKey, values, dirty, base);
  const set = (k: keyof ClaimedValues, v: string) => setValues((old) => ({ ...old, [k]: v }));
  const save = useSaveFigure(claim.id, {
    onSuccess: (_, vars) => {
      clearDraft(storeKey);
      announce(vars.part === 'claimed' && vars.claimed ? 'Claimed figure saved.' : 'Figure removed.');
      onDone();
    },
  });
  const body = (): ClaimedFigure => ({
    value: plainDecimal(values.value),
    value_max: values.value_max.trim() ? plainDecimal(values.value_max) : null,
    unit: values.unit.trim(),
    measure: values.measure.trim(),
    place: values.place.trim() || null,
    period: values.period.trim() || null,
    as_stated: values.as_stated.trim() || values.value.trim(),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ part: 'claimed', version: base, claimed: body() });
  }
  const field = (name: keyof ClaimedValues) => `figure.claimed.${name}`;
  return (
    <form onSubmit={submit} noValidate aria-labelledby={headingId} className="claim-subform">
      <h3 id={headingId}>{claim.figure ? 'Edit the claimed figure' : 'Add a claimed figure'}</h3>
      {restored && dirty && <RestoredNotice at={restored.at} />}
      <ConflictLine
        error={save.error}
        onReload={() => {
          setBase(claim.version);
          save.mutate({ part: 'claimed', version: claim.version, claimed: body() });
        }}
      />
      {!(save.error instanceof ApiError && save.error.status === 412) && (
        <ProblemMessage error={save.error} fields={CLAIMED_FIELDS} />
      )}
      <div className="form-grid">
        <Field label="As said" name={field('as_stated')} error={save.error} hint="The words of the claim: “4%”.">
          {(p) => <input {...p} value={values.as_stated} onChange={(e) => set('as_stated', e.target.value)} />}
        </Field>
        <Field label="Value" name={field('value')} error={save.error} hint="A number: 4, 12.5, 250000000.">
          {(p) => <input {...p} inputMode="decimal" required value={values.value} onChange={(e) => set('value', e.target.value)} />}
        </Field>
        <Field label="Up to (for a range)" name={field('value_max')} error={save.error}>
          {(p) => <input {...p} inputMode="decimal" value={values.value_max} onChange={(e) => set('value_max', e.target.value)} />}
        </Field>
        <Field label="Unit" name={field('unit')} error={save.error} hint="percent, a currency (EUR, UAH) or what is counted.">
          {(p) => <input {...p} list="figure-units" value={values.unit} onChange={(e) => set('unit', e.target.value)} />}
        </Field>
        <Field label="What it measures" name={field('measure')} error={save.error}>
          {(p) => <input {...p} value={values.measure} onChange={(e) => set('measure', e.target.value)} />}
        </Field>
        <Field label="Place" name={field('place')} error={save.error}>
          {(p) => <input {...p} value={values.place} onChange={(e) => set('place', e.target.value)} />}
        </Field>
        <Field label="Period" name={field('period')} error={save.error}>
          {(p) => <input {...p} value={values.period} onChange={(e) => set('period', e.target.value)} />}
        </Field>
      </div>
      <datalist id="figure-units">
        {['percent', 'EUR', 'USD', 'GBP', 'UAH', 'people', 'troops'].map((u) => (
          <option key={u} value={u} />
        ))}
      </datalist>
      <div className="button-row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save figure'}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            clearDraft(storeKey);
            onDone();
          }}
        >
          Cancel
        </button>
        {claim.figure && (
          <button
            type="button"
            className="danger"
            disabled={save.isPending}
            onClick={() => save.mutate({ part: 'claimed', version: base, claimed: null })}
          >
            Remove the figure
          </button>
        )}
      </div>
    </form>
  );
}

interface CheckedValues {
  value: string;
  value_max: string;
  period: string;
  source_id: string;
}

const CHECKED_FIELDS = ['value', 'value_max', 'period', 'source_id'];

function CheckedForm({
  claim,
  storeKey,
  announce,
  onDone,
}: {
  claim: Claim;
  storeKey: string;
  announce: Announce;
  onDone: () => void;
}) {
  const headingId = useId();
  const checked = claim.figure?.checked;
  const saved: CheckedValues = {
    value: checked?.value ?? '',
    value_max: checked?.value_max ?? '',
    period: checked?.period ?? '',
    source_id: checked?.source_id ?? '',
  };
  const [restored] = useState(() => readDraft<CheckedValues>(storeKey));
  const [values, setValues] = useState<CheckedValues>(() => ({ ...saved, ...restored?.values }));
  const [base, setBase] = useState(() => restored?.base ?? claim.version);
  const dirty = JSON.stringify(values) !== JSON.stringify(saved);
  usePersistedDraft(storeKey, values, dirty, base);
  const set = (k: keyof CheckedValues, v: string) => setValues((old) => ({ ...old, [k]: v }));
  const save = useSaveFigure(claim.id, {
    onSuccess: (_, vars) => {
      clearDraft(storeKey);
      announce(vars.part === 'checked' && vars.checked ? 'Checked figure saved.' : 'Checked figure removed.');
      onDone();
    },
  });
  const body = (): CheckedFigureRequest => ({
    value: plainDecimal(values.value),
    value_max: values.value_max.trim() ? plainDecimal(values.value_max) : null,
    period: values.period.trim() || null,
    source_id: values.source_id || null,
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ part: 'checked', version: base, checked: body() });
  }
  const unit = claim.figure?.claimed.unit ?? '';
  return (
    <form onSubmit={submit} noValidate aria-labelledby={headingId} className="claim-subform">
      <h3 id={headingId}>The checked figure</h3>
      {restored && dirty && <RestoredNotice at={restored.at} />}
      <ConflictLine
        error={save.error}
        onReload={() => {
          setBase(claim.version);
          save.mutate({ part: 'checked', version: claim.version, checked: body() });
        }}
      />
      {!(save.error instanceof ApiError && save.error.status === 412) && (
        <ProblemMessage error={save.error} fields={CHECKED_FIELDS} />
      )}
      <div className="form-grid">
        <Field label={`Value${unit ? ` (${unit})` : ''}`} name="value" error={save.error} hint="What the source says: 57.">
          {(p) => <input {...p} inputMode="decimal" required value={values.value} onChange={(e) => set('value', e.target.value)} />}
        </Field>
        <Field label="Up to (for a range)" name="value_max" error={save.error}>
          {(p) => <input {...p} inputMode="decimal" value={values.value_max} onChange={(e) => set('value_max', e.target.value)} />}
        </Field>
        <Field label="Period" name="period" error={save.error} hint="When it holds: February 2025.">
          {(p) => <input {...p} value={values.period} onChange={(e) => set('period', e.target.value)} />}
        </Field>
        <Field label="From source" name="source_id" error={save.error}>
          {(p) => (
            <select {...p} value={values.source_id} onChange={(e) => set('source_id', e.target.value)}>
              <option value="">None named</option>
              {(claim.sources ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.publisher ? `${s.publisher}: ${s.title || s.url}` : s.title || s.url}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="button-row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save checked figure'}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            clearDraft(storeKey);
            onDone();
          }}
        >
          Cancel
        </button>
        {checked && (
          <button
            type="button"
            className="danger"
            disabled={save.isPending}
            onClick={() => save.mutate({ part: 'checked', version: base, checked: null })}
          >
            Remove the checked figure
          </button>
        )}
      </div>
    </form>
  );
}
