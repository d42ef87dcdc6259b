/**
 * Every claim on the desk with filters (status, reviewer, article, rating, words,
 * overdue), kept in the address so a filtered list can be bookmarked or linked to.
 */
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useClaimList } from '../api/claims';
import { useAllReviewers } from '../api/users';
import { OverdueBadge, PriorityBadge, StatusBadge } from '../components/badges';
import { BulkBar } from '../components/BulkBar';
import { Deadline, Field, ProblemMessage } from '../components/forms';
import { LoadMore } from '../components/LoadMore';
import { useRatingScale } from '../components/rating';
import { STATUS_LABELS, STATUSES } from '../lib/labels';
import { usePageTitle } from '../lib/usePageTitle';

const KEYS = ['status', 'assignee', 'article_id', 'rating', 'q', 'overdue'] as const;
type Filters = Record<(typeof KEYS)[number], string>;

export default function ClaimsPage() {
  usePageTitle('Claims');
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? ''])) as Filters;
  const [draft, setDraft] = useState<Filters>(applied);
  const set = (key: keyof Filters) => (value: string) => setDraft((f) => ({ ...f, [key]: value }));
  const reviewers = useAllReviewers();
  const scale = useRatingScale();

  const claims = useClaimList(applied);
  const rows = claims.data?.pages.flatMap((p) => p.items) ?? [];
  // Ticked claims, for the bulk actions (only those still listed count).
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const selected = rows.filter((c) => ticked.has(c.id)).map((c) => c.id);
  const toggle = (id: string, on: boolean) =>
    setTicked((old) => {
      const next = new Set(old);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allTicked = rows.length > 0 && selected.length === rows.length;

  function submit(e: FormEvent) {
    e.preventDefault();
    setParams(Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== '')));
  }

  function clear() {
    const empty = Object.fromEntries(KEYS.map((k) => [k, ''])) as Filters;
    setDraft(empty);
    setParams({});
  }

  return (
    <section>
      <h1>Claims</h1>
      <form className="filters" onSubmit={submit} aria-label="Filter claims">
        <Field label="Status" name="status" error={claims.error}>
          {(p) => (
            <select {...p} value={draft.status} onChange={(e) => set('status')(e.target.value)}>
              <option value="">Any</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
              <option value="assigned,in_review">Open (assigned or in review)</option>
            </select>
          )}
        </Field>
        <Field label="Reviewer" name="assignee" error={claims.error}>
          {(p) => (
            <select {...p} value={draft.assignee} onChange={(e) => set('assignee')(e.target.value)}>
              <option value="">Anyone</option>
              {(reviewers.data?.items ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.display_name}
                  {u.active ? '' : ' (inactive)'}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Rating" name="rating" error={claims.error}>
          {(p) => (
            <select {...p} value={draft.rating} onChange={(e) => set('rating')(e.target.value)}>
              <option value="">Any</option>
              {(scale.data ?? []).map((r) => (
                <option key={r.key} value={r.key}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Words" name="q" error={claims.error}>
          {(p) => <input {...p} type="search" value={draft.q} onChange={(e) => set('q')(e.target.value)} />}
        </Field>
        <Field label="Due" name="overdue" error={claims.error}>
          {(p) => (
            <select {...p} value={draft.overdue} onChange={(e) => set('overdue')(e.target.value)}>
              <option value="">Any</option>
              <option value="true">Overdue</option>
              <option value="false">Not overdue</option>
            </select>
          )}
        </Field>
        <div className="field">
          <div className="button-row">
            <button type="submit" className="primary">
              Filter
            </button>
            <button type="button" onClick={clear}>
              Clear
            </button>
          </div>
        </div>
      </form>
      {applied.article_id && (
        <p>
          Only the claims of one article.{' '}
          <Link to={`/articles/${applied.article_id}`}>Open the article</Link>
        </p>
      )}
      <ProblemMessage error={claims.error} fields={[...KEYS]} />
      {claims.isPending ? (
        <p role="status">Loading claims…</p>
      ) : rows.length === 0 ? (
        <p className="notice">No claim matches these filters.</p>
      ) : (
        <div className="table-wrap">
          <BulkBar selected={selected} rows={rows} onDone={(refused) => setTicked(new Set(refused))} />
          <table className="stack">
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    aria-label="Select every claim listed"
                    checked={allTicked}
                    onChange={(e) => setTicked(e.target.checked ? new Set(rows.map((c) => c.id)) : new Set())}
                  />
                </th>
                <th scope="col">Claim</th>
                <th scope="col">Status</th>
                <th scope="col">Priority</th>
                <th scope="col">Reviewers</th>
                <th scope="col">Due</th>
                <th scope="col">Article</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td data-label="Select">
                    <input
                      type="checkbox"
                      aria-label={`Select “${c.statement}”`}
                      checked={ticked.has(c.id)}
                      onChange={(e) => toggle(c.id, e.target.checked)}
                    />
                  </td>
                  <td>
                    <Link to={`/claims/${c.id}`}>{c.statement}</Link>
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={c.status} />
                  </td>
                  <td data-label="Priority">
                    <PriorityBadge priority={c.priority} />
                  </td>
                  <td data-label="Reviewers">{c.assignments.map((a) => a.reviewer_name).join(', ') || '—'}</td>
                  <td data-label="Due">
                    <Deadline value={c.due_at} /> {c.overdue && <OverdueBadge />}
                  </td>
                  <td data-label="Article">
                    <Link to={`/articles/${c.article_id}`}>{c.article_title}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > 0 && (
        <LoadMore
          hasNextPage={claims.hasNextPage}
          isFetchingNextPage={claims.isFetchingNextPage}
          fetchNextPage={claims.fetchNextPage}
          shown={rows.length}
        />
      )}
    </section>
  );
}
