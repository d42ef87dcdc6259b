/** The evidence: a list of sources, and adding, editing and removing them while the claim allows. */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError, type Claim, type Schemas, type Source } from '../../api/client';
import { useRemoveSource, useSaveSource, type SaveSourceVars } from '../../api/evidence';
import { useUser } from '../../auth/session';
import { humanize, orNull, SOURCE_KINDS, STANCES } from '../../lib/claimPage';
import { clearDraft, draftKey, readDraft, usePersistedDraft } from '../../lib/drafts';
import { ConflictNotice } from '../Conflict';
import { DateTime, Field, ProblemMessage } from '../forms';
import type { Announce } from './shared';

type Kind = Schemas['SourceKind'];
type Stance = Schemas['Stance'];

interface Props {
  claim: Claim;
  /** The caller may work on the claim's evidence (editor or assigned reviewer). */
  mayEdit: boolean;
  locked: boolean;
  announce: Announce;
}

const SOURCE_FIELDS = ['url', 'title', 'publisher', 'kind', 'stance', 'excerpt', 'archive_url', 'accessed_at'];

export function SourcesSection({ claim, mayEdit, locked, announce }: Props) {
  const sources = claim.sources ?? [];
  const editable = mayEdit && !locked;
  const userId = useUser().id;
  // One source form at a time, so every label on the page names one control. An edit
  // typed before a reload opens again with what was typed.
  const [editingId, setEditingId] = useState<string | null>(
    () => sources.find((s) => readDraft(draftKey(userId, 'claim', claim.id, `source-${s.id}`)))?.id ?? null,
  );
  return (
    <section aria-labelledby="claim-sources-h" className="panel">
      <h2 id="claim-sources-h">Sources</h2>
      {mayEdit && locked && (
        <p className="muted">Sources are locked while the claim is {humanize(claim.status).toLowerCase()}.</p>
      )}
      {sources.length === 0 ? (
        <p className="muted">No sources yet.</p>
      ) : (
        <ul className="plain">
          {sources.map((s) => (
            <SourceItem
              key={s.id}
              claim={claim}
              source={s}
              editable={editable}
              editing={editable && editingId === s.id}
              setEditing={(on) => setEditingId(on ? s.id : null)}
              announce={announce}
            />
          ))}
        </ul>
      )}
      {editable && editingId === null && <AddSource claim={claim} announce={announce} />}
    </section>
  );
}

function SourceItem({
  claim,
  source,
  editable,
  editing,
  setEditing,
  announce,
}: {
  claim: Claim;
  source: Source;
  editable: boolean;
  editing: boolean;
  setEditing: (on: boolean) => void;
  announce: Announce;
}) {
  const titleId = useId();
  const [confirming, setConfirming] = useState(false);

  const remove = useRemoveSource(claim.id, source.id, {
    onSuccess: () => announce(`Source “${source.title || source.url}” removed.`),
  });

  if (editing) {
    return (
      <li className="claim-item">
        <SourceForm
          claim={claim}
          source={source}
          announce={announce}
          onDone={() => setEditing(false)}
        />
      </li>
    );
  }

  return (
    <li className="claim-item">
      <p className="claim-item-head">
        <a href={source.url} rel="noopener noreferrer" target="_blank" id={titleId}>
          {source.title || source.url}
        </a>
      </p>
      <p className="claim-meta">
        {source.publisher && <span>{source.publisher}</span>}
        <span className="badge">{humanize(source.kind)}</span>
        <span className={`badge${source.stance === 'refutes' ? ' badge--bad' : source.stance === 'supports' ? ' badge--ok' : ''}`}>
          {humanize(source.stance)}
        </span>
        {source.accessed_at && (
          <span>
            Accessed <DateTime value={source.accessed_at} />
          </span>
        )}
      </p>
      {source.excerpt && (
        <blockquote className="claim-excerpt">
          <p className="pre-wrap">{source.excerpt}</p>
        </blockquote>
      )}
      {source.archive_url && (
        <p>
          <a href={source.archive_url} rel="noopener noreferrer" target="_blank">
            Archived copy
          </a>
        </p>
      )}
      <ProblemMessage error={remove.error} />
      {editable && (
        <div className="button-row">
          {!confirming ? (
            <>
              <button type="button" aria-describedby={titleId} onClick={() => setEditing(true)}>
                Edit
              </button>
              <button
                type="button"
                className="danger"
                aria-describedby={titleId}
                onClick={() => setConfirming(true)}
              >
                Remove
              </button>
            </>
          ) : (
            <>
              <span>Remove this source?</span>
              <button
                type="button"
                className="danger"
                aria-describedby={titleId}
                disabled={remove.isPending}
                onClick={() => remove.mutate()}
              >
                Yes, remove
              </button>
              <button type="button" className="secondary" autoFocus onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          )}
        </div>
      )}
    </li>
  );
}

function AddSource({ claim, announce }: { claim: Claim; announce: Announce }) {
  const [key, setKey] = useState(0);
  return (
    <div className="claim-subform">
      <SourceForm
        key={key}
        claim={claim}
        announce={announce}
        onDone={() => setKey((k) => k + 1)}
      />
    </div>
  );
}

interface FormValues {
  url: string;
  title: string;
  publisher: string;
  kind: Kind;
  stance: Stance;
  excerpt: string;
  archive_url: string;
}

function valuesOf(source?: Source): FormValues {
  return {
    url: source?.url ?? '',
    title: source?.title ?? '',
    publisher: source?.publisher ?? '',
    kind: (SOURCE_KINDS as readonly string[]).includes(source?.kind ?? '') ? (source!.kind as Kind) : 'primary',
    stance: (STANCES as readonly string[]).includes(source?.stance ?? '')
      ? (source!.stance as Stance)
      : 'supports',
    excerpt: source?.excerpt ?? '',
    archive_url: source?.archive_url ?? '',
  };
}

/** The request for the form's values: a new source, or the edit of `base` at `version` (default: its own). */
function saveVars(values: FormValues, base: Source | undefined, version?: number): SaveSourceVars {
  if (!base) {
    return {
      op: 'add',
      body: {
        url: values.url.trim(),
        title: orNull(values.title),
        publisher: orNull(values.publisher),
        kind: values.kind,
        stance: values.stance,
        excerpt: orNull(values.excerpt),
        archive_url: orNull(values.archive_url),
        accessed_at: new Date().toISOString(),
      },
    };
  }
  return {
    op: 'edit',
    sourceId: base.id,
    version: version ?? base.version,
    body: {
      url: values.url.trim(),
      title: values.title.trim(),
      publisher: values.publisher.trim(),
      kind: values.kind,
      stance: values.stance,
      excerpt: values.excerpt,
      archive_url: values.archive_url.trim(),
    },
  };
}

/** Adds a source (no `source`) or edits one, with `If-Match` and a conflict notice on 412. */
function SourceForm({
  claim,
  source,
  announce,
  onDone,
}: {
  claim: Claim;
  source?: Source;
  announce: Announce;
  onDone: () => void;
}) {
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Opening the edit form moves keyboard focus into it.
  const isEdit = Boolean(source);
  useEffect(() => {
    if (isEdit) headingRef.current?.focus();
  }, [isEdit]);
  const storeKey = draftKey(useUser().id, 'claim', claim.id, source ? `source-${source.id}` : 'source-new');
  const [restored] = useState(() => readDraft<FormValues>(storeKey));
  const [values, setValues] = useState<FormValues>(() => ({ ...valuesOf(source), ...restored?.values }));
  // A restored edit keeps the version it was typed over: a change since is a 412, not lost.
  const [base, setBase] = useState<Source | undefined>(() =>
    source && restored?.base != null ? { ...source, version: restored.base } : source,
  );
  const set = <K extends keyof FormValues>(k: K, v: FormValues[K]) =>
    setValues((old) => ({ ...old, [k]: v }));
  const dirty = useMemo(() => JSON.stringify(values) !== JSON.stringify(valuesOf(base)), [values, base]);
  usePersistedDraft(storeKey, values, dirty, base?.version ?? null);

  const save = useSaveSource(claim.id, {
    onSuccess: (saved) => {
      clearDraft(storeKey);
      announce(base ? `Source “${saved.title || saved.url}” saved.` : `Source “${saved.title || saved.url}” added.`);
      onDone();
    },
  });

  /** Adds the source, or saves the edit of `over` with `If-Match: version`. */
  function saveAs(over: Source | undefined, version?: number) {
    save.mutate(saveVars(values, over, version));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    saveAs(base);
  }

  const conflict = save.error instanceof ApiError && save.error.status === 412;
  const label = base ? 'Save source' : 'Add source';

  return (
    <form onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h3 id={headingId} ref={headingRef} tabIndex={-1}>{base ? `Edit source “${base.title || base.url}”` : 'Add a source'}</h3>
      {restored && dirty && (
        <p className="notice notice--warn">
          Restored what you typed on <DateTime value={restored.at} /> and had not saved yet.
        </p>
      )}
      {conflict ? (
        <ConflictNotice
          error={save.error}
          mine={base as Record<string, unknown> | undefined}
          labels={{
            url: 'URL',
            title: 'Title',
            publisher: 'Publisher',
            kind: 'Kind',
            stance: 'Stance',
            excerpt: 'Excerpt',
            archive_url: 'Archive URL',
          }}
          onKeepMine={(current) => {
            const cur = current as Source;
            setBase(cur);
            saveAs(base, cur.version);
          }}
          onDiscard={(current) => {
            const cur = current as Source;
            setBase(cur);
            setValues(valuesOf(cur));
            save.reset();
          }}
        />
      ) : (
        <ProblemMessage error={save.error} fields={SOURCE_FIELDS} />
      )}
      <div className="form-grid">
        <Field label="URL" name="url" error={save.error}>
          {(p) => (
            <input
              {...p}
              type="url"
              inputMode="url"
              required
              value={values.url}
              onChange={(e) => set('url', e.target.value)}
            />
          )}
        </Field>
        <Field label="Title" name="title" error={save.error}>
          {(p) => <input {...p} value={values.title} onChange={(e) => set('title', e.target.value)} />}
        </Field>
        <Field label="Publisher" name="publisher" error={save.error}>
          {(p) => <input {...p} value={values.publisher} onChange={(e) => set('publisher', e.target.value)} />}
        </Field>
        <Field label="Kind" name="kind" error={save.error}>
          {(p) => (
            <select {...p} value={values.kind} onChange={(e) => set('kind', e.target.value as Kind)}>
              {SOURCE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {humanize(k)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Stance" name="stance" error={save.error}>
          {(p) => (
            <select {...p} value={values.stance} onChange={(e) => set('stance', e.target.value as Stance)}>
              {STANCES.map((k) => (
                <option key={k} value={k}>
                  {humanize(k)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Archive URL" name="archive_url" error={save.error}>
          {(p) => (
            <input
              {...p}
              type="url"
              inputMode="url"
              value={values.archive_url}
              onChange={(e) => set('archive_url', e.target.value)}
            />
          )}
        </Field>
      </div>
      <Field label="Excerpt" name="excerpt" error={save.error}>
        {(p) => <textarea {...p} rows={3} value={values.excerpt} onChange={(e) => set('excerpt', e.target.value)} />}
      </Field>
      <div className="button-row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? (base ? 'Saving…' : 'Adding…') : label}
        </button>
        {base && (
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
        )}
      </div>
    </form>
  );
}
