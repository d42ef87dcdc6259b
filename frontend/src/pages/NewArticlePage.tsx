import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useCreateArticle } from '../api/articles';
import { ApiError } from '../api/client';
import { DateTime, Field, ProblemMessage } from '../components/forms';
import { parsePastedArticle } from '../lib/pastedArticle';
import { usePageTitle } from '../lib/usePageTitle';

const FIELDS = ['title', 'body', 'url', 'outlet', 'author', 'published_at', 'language'];

export default function NewArticlePage() {
  usePageTitle('New article');
  const navigate = useNavigate();
  const [form, setForm] = useState({
    title: '',
    body: '',
    url: '',
    outlet: '',
    author: '',
    publishedOn: '',
    language: 'en',
  });
  const [filled, setFilled] = useState(false);
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const create = useCreateArticle({ onSuccess: (article) => navigate(`/articles/${article.id}`) });

  /** Fills the empty metadata fields from the pasted text (first line, byline). */
  function fillFromText() {
    const parsed = parsePastedArticle(form.body);
    setForm((f) => ({
      ...f,
      title: f.title || parsed.title,
      author: f.author || parsed.author,
      publishedOn: f.publishedOn || parsed.publishedOn,
    }));
    setFilled(true);
  }

  /** Creates the article; first asking whether it is on the desk already. */
  function save(checkDuplicates: boolean) {
    create.mutate({
      check_duplicates: checkDuplicates,
      title: form.title.trim(),
      body: form.body,
      url: form.url.trim() || null,
      outlet: form.outlet.trim() || null,
      author: form.author.trim() || null,
      published_at: form.publishedOn ? new Date(`${form.publishedOn}T12:00:00Z`).toISOString() : null,
      language: form.language.trim() || null,
    });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    save(true);
  }

  // 409 with `duplicate_of`: the same address, or the same title and text, exists.
  const duplicate =
    create.error instanceof ApiError && create.error.status === 409
      ? (create.error.problem.duplicate_of ?? null)
      : null;

  return (
    <section>
      <h1>New article</h1>
      <p>
        Paste the article&rsquo;s text. Factdesk never fetches pages: what you paste is what the
        desk checks, and claims are anchored to it.
      </p>
      {duplicate ? (
        <div className="notice notice--warn" role="alert" data-testid="duplicate-article">
          <p>
            <strong>This article is on the desk already:</strong> “{duplicate.title}”
            {duplicate.outlet ? `, ${duplicate.outlet}` : ''}, added <DateTime value={duplicate.created_at} withTime={false} />.
          </p>
          <div className="button-row">
            <Link to={`/articles/${duplicate.id}`} className="button-link">
              Open it
            </Link>
            <button type="button" onClick={() => save(false)} disabled={create.isPending}>
              Create it anyway
            </button>
          </div>
        </div>
      ) : (
        <ProblemMessage error={create.error} fields={FIELDS} />
      )}
      <form onSubmit={submit} noValidate>
        <Field
          label="Article text"
          name="body"
          error={create.error}
          hint="Paste the whole article. The title line and a byline such as “by Name February 15, 2025” can fill in the fields below."
        >
          {(p) => (
            <textarea
              {...p}
              rows={14}
              required
              value={form.body}
              onChange={(e) => set('body')(e.target.value)}
            />
          )}
        </Field>
        <div className="button-row">
          <button type="button" onClick={fillFromText} disabled={!form.body.trim()}>
            Fill in title, author and date from the text
          </button>
          {filled && (
            <span role="status" className="muted">
              Filled in what was recognised; check it below.
            </span>
          )}
        </div>
        <Field label="Title" name="title" error={create.error}>
          {(p) => <input {...p} required value={form.title} onChange={(e) => set('title')(e.target.value)} />}
        </Field>
        <div className="form-grid">
          <Field label="URL" name="url" error={create.error}>
            {(p) => (
              <input {...p} type="url" inputMode="url" value={form.url} onChange={(e) => set('url')(e.target.value)} />
            )}
          </Field>
          <Field label="Outlet" name="outlet" error={create.error}>
            {(p) => <input {...p} value={form.outlet} onChange={(e) => set('outlet')(e.target.value)} />}
          </Field>
          <Field label="Author" name="author" error={create.error}>
            {(p) => <input {...p} value={form.author} onChange={(e) => set('author')(e.target.value)} />}
          </Field>
          <Field label="Published on" name="published_at" error={create.error}>
            {(p) => (
              <input {...p} type="date" value={form.publishedOn} onChange={(e) => set('publishedOn')(e.target.value)} />
            )}
          </Field>
          <Field label="Language" name="language" error={create.error} hint="A tag such as en or uk.">
            {(p) => <input {...p} value={form.language} onChange={(e) => set('language')(e.target.value)} />}
          </Field>
        </div>
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create article'}
        </button>
      </form>
    </section>
  );
}
