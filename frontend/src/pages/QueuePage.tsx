/**
 * The reviewer's queue: their open claims by due time, then priority (the server's
 * order). Editors see the desk's queue instead, defaulting to what awaits approval.
 * Shortcuts: j/k move, Enter opens, g/G first/last.
 */
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useClaimQueue } from '../api/claims';
import { isEditor, useUser } from '../auth/session';
import { OverdueBadge, PriorityBadge, StatusBadge } from '../components/badges';
import { Deadline, ProblemMessage } from '../components/forms';
import { LoadMore } from '../components/LoadMore';
import { isTyping, moveSelection } from '../lib/keys';
import { usePageTitle } from '../lib/usePageTitle';

const REVIEWER_VIEWS = {
  open: { label: 'To do (assigned and in review)', status: 'assigned,in_review' },
  submitted: { label: 'Waiting for approval', status: 'submitted' },
  done: { label: 'Approved and published', status: 'approved,published' },
} as const;

const EDITOR_VIEWS = {
  submitted: { label: 'Waiting for approval', status: 'submitted' },
  open: { label: 'With reviewers', status: 'assigned,in_review' },
  draft: { label: 'Not assigned yet', status: 'draft' },
  approved: { label: 'Approved, not published', status: 'approved' },
} as const;

export default function QueuePage() {
  const user = useUser();
  const editor = isEditor(user);
  usePageTitle(editor ? 'Queue' : 'My queue');
  const views: Record<string, { label: string; status: string }> = editor
    ? EDITOR_VIEWS
    : REVIEWER_VIEWS;
  const [params, setParams] = useSearchParams();
  const viewKey = params.get('view') ?? (editor ? 'submitted' : 'open');
  const view = views[viewKey] ?? (editor ? EDITOR_VIEWS.submitted : REVIEWER_VIEWS.open);
  const navigate = useNavigate();

  const claims = useClaimQueue(editor ? 'desk' : 'me', view.status);
  const rows = claims.data?.pages.flatMap((p) => p.items) ?? [];
  const [selected, setSelected] = useState(-1);
  const rowRefs = useRef<(HTMLAnchorElement | null)[]>([]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (['j', 'k', 'g', 'G'].includes(e.key)) {
        e.preventDefault();
        setSelected((i) => {
          const next = moveSelection(i, e.key, rows.length);
          rowRefs.current[next]?.focus();
          return next;
        });
      } else if (e.key === 'Enter' && selected >= 0 && rows[selected]) {
        if (document.activeElement === rowRefs.current[selected]) return; // the link handles it
        navigate(`/claims/${rows[selected].id}`);
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [rows, selected, navigate]);

  return (
    <section>
      <div className="page-head">
        <h1>{editor ? 'Queue' : 'My queue'}</h1>
        <p className="kbd-help muted">
          Keys: <kbd>j</kbd>/<kbd>k</kbd> next and previous, <kbd>Enter</kbd> opens,{' '}
          <kbd>g</kbd>/<kbd>G</kbd> first and last.
        </p>
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="queue-view">Show</label>
          <select
            id="queue-view"
            value={viewKey}
            onChange={(e) => {
              setSelected(-1);
              setParams({ view: e.target.value });
            }}
          >
            {Object.entries(views).map(([key, v]) => (
              <option key={key} value={key}>
                {v.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ProblemMessage error={claims.error} />
      {claims.isPending ? (
        <p role="status">Loading the queue…</p>
      ) : rows.length === 0 ? (
        <p className="notice">Nothing here. {editor ? '' : 'New assignments also arrive by email.'}</p>
      ) : (
        <div className="table-wrap">
          <table className="queue stack">
            <caption className="sr-only">
              {view.label}, by due time then priority
            </caption>
            <thead>
              <tr>
                <th scope="col">Due</th>
                <th scope="col">Priority</th>
                <th scope="col">Claim</th>
                <th scope="col">Article</th>
                <th scope="col">Status</th>
                {editor && <th scope="col">Reviewers</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((c, i) => (
                <tr key={c.id} className={i === selected ? 'row--selected' : undefined}>
                  <td data-label="Due">
                    <Deadline value={c.due_at} /> {c.overdue && <OverdueBadge />}
                  </td>
                  <td data-label="Priority">
                    <PriorityBadge priority={c.priority} />
                  </td>
                  <td>
                    <Link
                      to={`/claims/${c.id}`}
                      ref={(el) => {
                        rowRefs.current[i] = el;
                      }}
                      onFocus={() => setSelected(i)}
                    >
                      {c.statement}
                    </Link>
                  </td>
                  <td data-label="Article">{c.article_title}</td>
                  <td data-label="Status">
                    <StatusBadge status={c.status} />
                  </td>
                  {editor && (
                    <td data-label="Reviewers">{c.assignments.map((a) => a.reviewer_name).join(', ') || '—'}</td>
                  )}
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
