/**
 * Verdict exports: the filters of `GET /api/v1/reports/verdicts`, then the file. The
 * download is a fetch with the session cookie turned into a Blob and saved through an
 * <a download>, so a 4xx problem can be shown by the fields instead of a broken file.
 */
import { useId, useState, type FormEvent } from 'react';
import { useArticlePicker } from '../api/articles';
import { articleLabel } from '../lib/labels';
import { ApiError } from '../api/client';
import { exportVerdicts } from '../api/publishing';
import { useActiveReviewers } from '../api/users';
import { Field, ProblemMessage } from '../components/forms';
import { EXPORT_FORMATS, type ExportFilters } from '../lib/download';
import { STATUSES, statusLabel } from '../lib/labels';
import { useRatingScale } from '../components/rating';
import { usePageTitle } from '../lib/usePageTitle';

const FIELDS = ['format', 'from', 'to', 'article_id', 'reviewer', 'rating', 'status'];

const initial: ExportFilters = {
  format: 'csv',
  from: '',
  to: '',
  article_id: '',
  reviewer: '',
  rating: '',
  status: [],
};

/** Fetches the export and hands it to the browser as a download; resolves to the file name. */
async function download(filters: ExportFilters): Promise<string> {
  const { blob, name } = await exportVerdicts(filters);
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // Give the browser a moment to start the download before the URL goes away.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return name;
}

export default function ExportsPage() {
  usePageTitle('Exports');
  const [filters, setFilters] = useState<ExportFilters>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const statusId = useId();

  const scale = useRatingScale();
  const reviewers = useActiveReviewers();
  const articles = useArticlePicker();

  const set = <K extends keyof ExportFilters>(key: K, value: ExportFilters[K]) =>
    setFilters((f) => ({ ...f, [key]: value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await download(filters));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const statusError = error instanceof ApiError ? error.fieldError('status') : undefined;

  return (
    <section>
      <h1>Exports</h1>
      <p className="lead">
        Download the verdicts: one row per claim with its current verdict. Leave a filter empty to include everything.
      </p>
      <form onSubmit={submit} noValidate>
        <h2>Filters</h2>
        <div className="form-grid">
          <Field label="Format" name="format" error={error}>
            {(p) => (
              <select {...p} value={filters.format} onChange={(e) => set('format', e.target.value)}>
                {EXPORT_FORMATS.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="From" name="from" error={error} hint="The approval date, else the claim’s creation.">
            {(p) => <input {...p} type="date" value={filters.from} onChange={(e) => set('from', e.target.value)} />}
          </Field>
          <Field label="To" name="to" error={error} hint="Up to and including this day.">
            {(p) => <input {...p} type="date" value={filters.to} onChange={(e) => set('to', e.target.value)} />}
          </Field>
          <Field label="Article" name="article_id" error={error}>
            {(p) => (
              <select {...p} value={filters.article_id} onChange={(e) => set('article_id', e.target.value)}>
                <option value="">All articles</option>
                {articles.data?.items.map((a) => (
                  <option key={a.id} value={a.id}>
                    {articleLabel(a)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Reviewer" name="reviewer" error={error}>
            {(p) => (
              <select {...p} value={filters.reviewer} onChange={(e) => set('reviewer', e.target.value)}>
                <option value="">Any reviewer</option>
                {reviewers.data?.items.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.display_name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Rating" name="rating" error={error}>
            {(p) => (
              <select {...p} value={filters.rating} onChange={(e) => set('rating', e.target.value)}>
                <option value="">Any rating</option>
                {scale.data?.map((r) => (
                  <option key={r.key} value={r.key}>
                    {r.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {(articles.isError || reviewers.isError || scale.isError) && (
          <p className="notice notice--warn">Some choices could not be loaded; those filters list only “all”.</p>
        )}
        <fieldset
          className={statusError ? 'field--invalid' : undefined}
          aria-describedby={statusError ? `${statusId}-error` : `${statusId}-hint`}
        >
          <legend>Claim status</legend>
          <p className="field-hint" id={`${statusId}-hint`}>
            None ticked: every status.
          </p>
          <div className="check-grid">
            {STATUSES.map((s) => (
              <div key={s} className="check-row">
                <input
                  type="checkbox"
                  id={`${statusId}-${s}`}
                  checked={filters.status.includes(s)}
                  onChange={(e) =>
                    set('status', e.target.checked ? [...filters.status, s] : filters.status.filter((x) => x !== s))
                  }
                />
                <label htmlFor={`${statusId}-${s}`}>{statusLabel(s)}</label>
              </div>
            ))}
          </div>
          {statusError && (
            <p className="field-error" id={`${statusId}-error`}>
              {statusError}
            </p>
          )}
        </fieldset>
        <ProblemMessage error={error} fields={FIELDS} />
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Preparing…' : 'Download'}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setFilters(initial);
              setError(null);
              setDone(null);
            }}
          >
            Clear the filters
          </button>
          <span role="status" className="muted">
            {done ? `Downloaded ${done}.` : ''}
          </span>
        </div>
      </form>
    </section>
  );
}
