/**
 * Settings (admins): the rating scale editor and the newsroom settings.
 *
 * The scale is replaced as a whole (`PUT /rating-scale`) with `If-Match` set to the ETag
 * of the GET: a fingerprint of the scale's content, not a version number, so it is kept
 * exactly as the server sent it. Field errors name rows by index (`[2].key`).
 */
import { useId, useMemo, useState, type FormEvent } from 'react';
import { ApiError, type TimeZoneName } from '../api/client';
import {
  useRatingScaleReload,
  useRatingScaleWithEtag,
  useSaveRatingScale,
  useSaveSettings,
  useSettings,
  useStoreSettings,
  type Settings,
} from '../api/settings';
import { ConflictNotice } from '../components/Conflict';
import { Field, ProblemMessage } from '../components/forms';
import { keyFromLabel, move, newRow, sameScale, toRows, toScale, type ScaleRow } from '../lib/ratingScale';
import { usePageTitle } from '../lib/usePageTitle';

export default function SettingsPage() {
  usePageTitle('Settings');
  return (
    <section>
      <h1>Settings</h1>
      <nav aria-label="On this page" className="page-toc">
        <a href="#rating-scale">Rating scale</a> · <a href="#newsroom">Newsroom</a>
      </nav>
      <RatingScaleEditor />
      <NewsroomSettings />
    </section>
  );
}

/* ---------------------------------------------------------------- rating scale */

function RatingScaleEditor() {
  const server = useRatingScaleWithEtag();
  const { fetchFresh, reload } = useRatingScaleReload();
  const [rows, setRows] = useState<ScaleRow[] | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  // Row ids must stay put between renders, or every input would be remounted.
  const baseRows = useMemo(() => (server.data ? toRows(server.data.scale) : []), [server.data]);
  const editing = rows ?? baseRows;
  const tag = etag ?? server.data?.etag ?? null;

  const save = useSaveRatingScale({
    onSuccess: () => {
      setRows(null);
      setEtag(null);
      setSaved(true);
    },
  });

  const edit = (next: ScaleRow[]) => {
    setSaved(false);
    setRows(next);
  };
  const structural = (next: ScaleRow[]) => {
    // Row numbers in earlier field errors no longer point at the right rows.
    if (save.error instanceof ApiError && save.error.status === 422) save.reset();
    edit(next);
  };
  const update = (index: number, patch: Partial<ScaleRow>) =>
    edit(editing.map((r, i) => (i === index ? { ...r, ...patch } : r)));

  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    save.mutate({ body: toScale(editing), tag });
  }

  const dirty = rows !== null && server.data !== undefined && !sameScale(rows, baseRows);
  const rowFields = editing.flatMap((_, i) =>
    ['key', 'label', 'color', 'claim_review_value', 'description', 'ordinal'].map((f) => `[${i}].${f}`),
  );

  return (
    <>
      <h2 id="rating-scale">Rating scale</h2>
      <p>
        The verdicts reviewers choose from, in the order shown. Ratings with a ClaimReview value (1 = false to 5 =
        true) are on the scale; the others (such as “Misleading”) are published with their label only. A rating that
        a verdict uses cannot be removed, and changing its key counts as removing it.
      </p>
      {server.isPending ? (
        <p role="status">Loading the rating scale…</p>
      ) : server.isError ? (
        <ProblemMessage error={server.error} />
      ) : (
        <form onSubmit={submit} noValidate>
          {save.error instanceof ApiError && save.error.status === 412 ? (
            <ConflictNotice
              error={save.error}
              mine={undefined}
              labels={{}}
              onKeepMine={async () => {
                const fresh = await fetchFresh();
                setEtag(fresh.etag);
                save.mutate({ body: toScale(editing), tag: fresh.etag });
              }}
              onDiscard={async () => {
                save.reset();
                await reload();
                setRows(null);
                setEtag(null);
              }}
            />
          ) : (
            <ProblemMessage error={save.error} fields={rowFields} />
          )}
          {saved && (
            <p className="notice notice--ok" role="status">
              The rating scale is saved.
            </p>
          )}
          <ol className="plain scale-rows">
            {editing.map((row, i) => (
              <ScaleRowEditor
                key={row.rowId}
                row={row}
                index={i}
                count={editing.length}
                error={save.error}
                onChange={(patch) => update(i, patch)}
                onMove={(to) => structural(move(editing, i, to))}
                onRemove={() => structural(editing.filter((_, j) => j !== i))}
              />
            ))}
          </ol>
          <div className="button-row">
            <button type="button" onClick={() => structural([...editing, newRow()])}>
              Add a rating
            </button>
          </div>
          <div className="button-row">
            <button type="submit" className="primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save the rating scale'}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={!dirty || save.isPending}
              onClick={() => {
                save.reset();
                setRows(null);
              }}
            >
              Undo my changes
            </button>
          </div>
        </form>
      )}
    </>
  );
}

interface ScaleRowProps {
  row: ScaleRow;
  index: number;
  count: number;
  error: unknown;
  onChange: (patch: Partial<ScaleRow>) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}

function ScaleRowEditor({ row, index, count, error, onChange, onMove, onRemove }: ScaleRowProps) {
  const at = (f: string) => `[${index}].${f}`;
  const name = row.label.trim() || row.key || 'new rating';
  const legendId = useId();
  const rowInvalid =
    error instanceof ApiError && (error.problem.errors ?? []).some((e) => e.field.startsWith(`[${index}].`));
  return (
    <li className={`scale-row${rowInvalid ? ' scale-row--invalid' : ''}`}>
      <fieldset aria-labelledby={legendId}>
        <legend id={legendId}>
          <span className="rating-swatch" style={{ background: row.color }} aria-hidden="true" />
          {index + 1}. {name}
        </legend>
        <div className="scale-row__grid">
          <Field label="Label" name={at('label')} error={error}>
            {(p) => (
              <input
                {...p}
                required
                maxLength={60}
                value={row.label}
                onChange={(e) => onChange({ label: e.target.value })}
                onBlur={() => {
                  if (!row.key && !row.originalKey && row.label.trim()) onChange({ key: keyFromLabel(row.label) });
                }}
              />
            )}
          </Field>
          <Field
            label="Key"
            name={at('key')}
            error={error}
            hint={row.originalKey && row.key !== row.originalKey ? `Was “${row.originalKey}”.` : 'Lower-case, as in mostly_false.'}
          >
            {(p) => (
              <input
                {...p}
                required
                maxLength={40}
                pattern="[a-z][a-z0-9_]*"
                autoCapitalize="off"
                spellCheck={false}
                value={row.key}
                onChange={(e) => onChange({ key: e.target.value })}
              />
            )}
          </Field>
          <Field label="Colour" name={at('color')} error={error}>
            {(p) => (
              <input {...p} type="color" value={row.color} onChange={(e) => onChange({ color: e.target.value })} />
            )}
          </Field>
          <Field label="ClaimReview value" name={at('claim_review_value')} error={error}>
            {(p) => (
              <select {...p} value={row.value} onChange={(e) => onChange({ value: e.target.value })}>
                <option value="">None (off the scale)</option>
                <option value="5">5 (true)</option>
                <option value="4">4</option>
                <option value="3">3</option>
                <option value="2">2</option>
                <option value="1">1 (false)</option>
              </select>
            )}
          </Field>
        </div>
        <Field label="Description" name={at('description')} error={error}>
          {(p) => (
            <textarea
              {...p}
              rows={2}
              value={row.description}
              onChange={(e) => onChange({ description: e.target.value })}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="button" onClick={() => onMove(index - 1)} disabled={index === 0} aria-label={`Move ${name} up`}>
            ↑ Up
          </button>
          <button
            type="button"
            onClick={() => onMove(index + 1)}
            disabled={index === count - 1}
            aria-label={`Move ${name} down`}
          >
            ↓ Down
          </button>
          <button type="button" className="danger" onClick={onRemove} aria-label={`Remove ${name}`}>
            Remove
          </button>
        </div>
      </fieldset>
    </li>
  );
}

/* ---------------------------------------------------------------- newsroom settings */

const SETTINGS_LABELS = {
  newsroom_name: 'Newsroom name',
  public_url: 'Newsroom website',
  logo_url: 'Logo URL',
  corrections_policy_url: 'Corrections policy URL',
  default_time_zone: 'Default time zone',
  methodology: 'Methodology',
  require_reply_attempt: 'Right of reply before approval',
  independent_review_for_high_priority: 'Independent reviews for high and urgent claims',
};

type SettingsForm = Record<keyof typeof SETTINGS_LABELS, string>;

function toForm(s: Settings): SettingsForm {
  return {
    newsroom_name: s.newsroom_name,
    public_url: s.public_url ?? '',
    logo_url: s.logo_url ?? '',
    corrections_policy_url: s.corrections_policy_url ?? '',
    default_time_zone: s.default_time_zone,
    methodology: s.methodology,
    // A checkbox, kept as text like the other fields ("true" or "false").
    require_reply_attempt: String(s.require_reply_attempt),
    independent_review_for_high_priority: String(s.independent_review_for_high_priority),
  };
}

/** The body of `PUT /settings` for the form's values. */
function settingsBody(values: SettingsForm) {
  return {
    newsroom_name: values.newsroom_name,
    public_url: values.public_url.trim() || null,
    logo_url: values.logo_url.trim() || null,
    corrections_policy_url: values.corrections_policy_url.trim() || null,
    default_time_zone: values.default_time_zone.trim() as TimeZoneName,
    methodology: values.methodology,
    require_reply_attempt: values.require_reply_attempt === 'true',
    independent_review_for_high_priority: values.independent_review_for_high_priority === 'true',
  };
}

function timeZones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

function NewsroomSettings() {
  const server = useSettings();
  const storeSettings = useStoreSettings();
  const [form, setForm] = useState<SettingsForm | null>(null);
  /** The version the edits apply to (the loaded one, or the current one after "keep mine"). */
  const [version, setVersion] = useState<number | null>(null);
  const zonesId = useId();

  const save = useSaveSettings({
    onSuccess: () => {
      setForm(null);
      setVersion(null);
    },
  });

  if (server.isPending) {
    return (
      <>
        <h2 id="newsroom">Newsroom</h2>
        <p role="status">Loading the settings…</p>
      </>
    );
  }
  if (server.isError) {
    return (
      <>
        <h2 id="newsroom">Newsroom</h2>
        <ProblemMessage error={server.error} />
      </>
    );
  }

  const values = form ?? toForm(server.data);
  const set = (k: keyof SettingsForm, v: string) => {
    if (save.isSuccess) save.reset();
    setForm({ ...values, [k]: v });
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ body: settingsBody(values), version: version ?? server.data!.version });
  }

  const text = (k: keyof SettingsForm, props: { type?: string; hint?: string; required?: boolean } = {}) => (
    <Field label={SETTINGS_LABELS[k]} name={k} error={save.error} hint={props.hint}>
      {(p) => (
        <input
          {...p}
          type={props.type ?? 'text'}
          required={props.required}
          value={values[k]}
          onChange={(e) => set(k, e.target.value)}
        />
      )}
    </Field>
  );

  return (
    <>
      <h2 id="newsroom">Newsroom</h2>
      <p>
        The name and website are the author of every published ClaimReview. The methodology is shown at{' '}
        <a href="/methodology">the public methodology page</a>.
      </p>
      {save.error instanceof ApiError && save.error.status === 412 ? (
        <ConflictNotice
          error={save.error}
          mine={toForm(server.data) as unknown as Record<string, unknown>}
          labels={SETTINGS_LABELS}
          onKeepMine={(current) => {
            const cur = current as Settings;
            storeSettings(cur);
            setVersion(cur.version);
            save.mutate({ body: settingsBody(values), version: cur.version });
          }}
          onDiscard={(current) => {
            storeSettings(current as Settings);
            setForm(null);
            setVersion(null);
            save.reset();
          }}
        />
      ) : (
        <ProblemMessage error={save.error} fields={Object.keys(SETTINGS_LABELS)} />
      )}
      {save.isSuccess && (
        <p className="notice notice--ok" role="status">
          The newsroom settings are saved.
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <div className="form-grid">
          {text('newsroom_name', { required: true })}
          {text('public_url', { type: 'url', hint: 'https://…' })}
          {text('logo_url', { type: 'url' })}
          {text('corrections_policy_url', { type: 'url' })}
          <Field
            label={SETTINGS_LABELS.default_time_zone}
            name="default_time_zone"
            error={save.error}
            hint="For new users; an IANA name such as Europe/Kyiv."
          >
            {(p) => (
              <>
                <input
                  {...p}
                  list={zonesId}
                  autoComplete="off"
                  required
                  value={values.default_time_zone}
                  onChange={(e) => set('default_time_zone', e.target.value)}
                />
                <datalist id={zonesId}>
                  {timeZones().map((z) => (
                    <option key={z} value={z} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
        </div>
        <div className="field">
          <label>
            <input
              type="checkbox"
              name="require_reply_attempt"
              checked={values.require_reply_attempt === 'true'}
              onChange={(e) => set('require_reply_attempt', String(e.target.checked))}
            />{' '}
            Approve a claim only after someone logged an attempt to reach its claimant for comment (right of reply)
          </label>
        </div>
        <div className="field">
          <label>
            <input
              type="checkbox"
              name="independent_review_for_high_priority"
              checked={values.independent_review_for_high_priority === 'true'}
              onChange={(e) => set('independent_review_for_high_priority', String(e.target.checked))}
            />{' '}
            New high and urgent claims get independent reviews: two reviewers rate each on their own
          </label>
        </div>
        <Field
          label={SETTINGS_LABELS.methodology}
          name="methodology"
          error={save.error}
          hint={
            <>
              Markdown. Readers see it at <a href="/methodology">/methodology</a> once saved.
            </>
          }
        >
          {(p) => (
            <textarea
              {...p}
              className="methodology-input"
              rows={14}
              value={values.methodology}
              onChange={(e) => set('methodology', e.target.value)}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save the newsroom settings'}
          </button>
          <a href="/methodology">Open the methodology page</a>
        </div>
      </form>
    </>
  );
}
