/**
 * Editing an article. Saving a new body re-anchors the claims whose quote still occurs
 * once, and flags the others; a 412 keeps the editor's typing and says who changed what.
 */
import { useState, type FormEvent } from 'react';
import { useStoreArticle, useUpdateArticle } from '../../api/articles';
import type { Article } from '../../api/client';
import { ConflictNotice } from '../Conflict';
import { Field, ProblemMessage } from '../forms';

const LABELS: Record<string, string> = {
  title: 'title',
  body: 'text',
  url: 'URL',
  outlet: 'outlet',
  author: 'author',
  published_at: 'date',
  language: 'language',
};

type Form = ReturnType<typeof formOf>;

/** The body of `PATCH /articles/{id}` for the form. */
function bodyOf(form: Form) {
  return {
    title: form.title,
    body: form.body,
    url: form.url.trim(),
    outlet: form.outlet,
    author: form.author,
    language: form.language.trim(),
    published_at: form.publishedOn ? new Date(`${form.publishedOn}T12:00:00Z`).toISOString() : null,
  };
}

function formOf(a: Article) {
  return {
    title: a.title,
    body: a.body ?? '',
    url: a.url ?? '',
    outlet: a.outlet ?? '',
    author: a.author ?? '',
    publishedOn: a.published_at ? a.published_at.slice(0, 10) : '',
    language: a.language ?? '',
  };
}

export function ArticleEditForm({
  article,
  onDone,
}: {
  article: Article;
  onDone: (saved: Article | null) => void;
}) {
  const storeArticle = useStoreArticle();
  const [base, setBase] = useState<Article>(article);
  const [form, setForm] = useState(() => formOf(article));
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const save = useUpdateArticle(article.id, { onSuccess: (saved) => onDone(saved) });

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ version: base.version, body: bodyOf(form) });
  }

  return (
    <section className="panel" aria-labelledby="edit-article-heading">
      <h2 id="edit-article-heading">Edit article</h2>
      <ConflictNotice
        error={save.error}
        mine={base as unknown as Record<string, unknown>}
        labels={LABELS}
        onKeepMine={(current) => {
          const c = current as Article;
          setBase(c);
          save.reset();
          save.mutate({ version: c.version, body: bodyOf(form) });
        }}
        onDiscard={(current) => {
          const c = current as Article;
          setBase(c);
          setForm(formOf(c));
          storeArticle(c);
          save.reset();
        }}
      />
      {save.error && (save.error as { status?: number }).status !== 412 && (
        <ProblemMessage error={save.error} fields={Object.keys(LABELS)} />
      )}
      <form onSubmit={submit} noValidate>
        <Field label="Title" name="title" error={save.error}>
          {(p) => <input {...p} value={form.title} onChange={(e) => set('title')(e.target.value)} />}
        </Field>
        <Field
          label="Article text"
          name="body"
          error={save.error}
          hint="Claims whose quote no longer sits at its place are moved when it occurs exactly once, and flagged otherwise."
        >
          {(p) => <textarea {...p} rows={14} value={form.body} onChange={(e) => set('body')(e.target.value)} />}
        </Field>
        <div className="form-grid">
          <Field label="URL" name="url" error={save.error}>
            {(p) => <input {...p} type="url" value={form.url} onChange={(e) => set('url')(e.target.value)} />}
          </Field>
          <Field label="Outlet" name="outlet" error={save.error}>
            {(p) => <input {...p} value={form.outlet} onChange={(e) => set('outlet')(e.target.value)} />}
          </Field>
          <Field label="Author" name="author" error={save.error}>
            {(p) => <input {...p} value={form.author} onChange={(e) => set('author')(e.target.value)} />}
          </Field>
          <Field label="Published on" name="published_at" error={save.error}>
            {(p) => (
              <input {...p} type="date" value={form.publishedOn} onChange={(e) => set('publishedOn')(e.target.value)} />
            )}
          </Field>
          <Field label="Language" name="language" error={save.error}>
            {(p) => <input {...p} value={form.language} onChange={(e) => set('language')(e.target.value)} />}
          </Field>
        </div>
        <div className="button-row">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save article'}
          </button>
          <button type="button" className="secondary" onClick={() => onDone(null)}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
