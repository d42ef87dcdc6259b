/**
 * Readers' error reports: each with its page, article and claim, a status (new,
 * answered, corrected, dismissed), a reply to the reader by email, and the correction
 * it led to. New ones first in the menu's count.
 */
import { useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useReplyToReport, useReports, useUpdateReport, type ErrorReport, type ReportStatus } from '../api/reports';
import { DateTime, Field, ProblemMessage } from '../components/forms';
import { LoadMore } from '../components/LoadMore';
import { usePageTitle } from '../lib/usePageTitle';

const STATUSES: ReportStatus[] = ['new', 'answered', 'corrected', 'dismissed'];
const STATUS_WORDS: Record<ReportStatus, string> = {
  new: 'New',
  answered: 'Answered',
  corrected: 'Corrected',
  dismissed: 'Dismissed',
};

export default function ReportsPage() {
  usePageTitle("Readers' reports");
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'new';
  const reports = useReports(status === 'all' ? '' : status);
  const rows = reports.data?.pages.flatMap((p) => p.items) ?? [];
  const newCount = reports.data?.pages[0]?.new_count;
  // What the last action did, said here: the report may have moved to another list.
  const [done, setDone] = useState('');

  return (
    <section>
      <h1>Readers' reports</h1>
      <p className="muted">
        Errors readers reported on the public pages{newCount !== undefined ? ` · ${newCount} new` : ''}.
      </p>
      <div className="button-row" role="group" aria-label="Show">
        {[...STATUSES, 'all' as const].map((s) => (
          <button
            key={s}
            type="button"
            className={s === status ? 'primary' : 'secondary'}
            aria-pressed={s === status}
            onClick={() => setParams(s === 'new' ? {} : { status: s })}
          >
            {s === 'all' ? 'All' : STATUS_WORDS[s]}
          </button>
        ))}
      </div>
      <div role="status">{done && <p className="notice notice--ok">{done}</p>}</div>
      <ProblemMessage error={reports.error} />
      {reports.isPending ? (
        <p role="status">Loading the reports…</p>
      ) : rows.length === 0 ? (
        <p className="notice">No {status === 'all' ? '' : `${STATUS_WORDS[status as ReportStatus]?.toLowerCase() ?? ''} `}reports.</p>
      ) : (
        <ol className="plain">
          {rows.map((r) => (
            <ReportItem key={r.id} report={r} announce={setDone} />
          ))}
        </ol>
      )}
      {rows.length > 0 && (
        <LoadMore
          hasNextPage={reports.hasNextPage}
          isFetchingNextPage={reports.isFetchingNextPage}
          fetchNextPage={reports.fetchNextPage}
          shown={rows.length}
        />
      )}
    </section>
  );
}

function ReportItem({ report, announce }: { report: ErrorReport; announce: (text: string) => void }) {
  const headingId = useId();
  const [status, setStatus] = useState<ReportStatus>(report.status);
  const [correctionId, setCorrectionId] = useState(report.correction?.id ?? '');
  const [reply, setReply] = useState('');
  const where = (s: ReportStatus) => (s === 'new' ? '' : ` It is under “${STATUS_WORDS[s]}” now.`);
  const update = useUpdateReport(report.id, {
    onSuccess: (r) => announce(`Report about “${r.headline}” saved.${where(r.status)}`),
  });
  const answer = useReplyToReport(report.id, {
    onSuccess: (r) => {
      setReply('');
      announce(`Reply sent to ${r.contact}.${where(r.status)}`);
    },
  });

  function save(e: FormEvent) {
    e.preventDefault();
    update.mutate({ version: report.version, body: { status, correction_id: correctionId || null } });
  }

  function send(e: FormEvent) {
    e.preventDefault();
    answer.mutate(reply);
  }

  return (
    <li className="panel report" aria-labelledby={headingId} data-testid="error-report">
      <h2 id={headingId} className="report-head">
        <span className={`badge${report.status === 'new' ? ' badge--warn' : ''}`}>{STATUS_WORDS[report.status]}</span>{' '}
        <a href={report.page_url}>{report.headline}</a>
      </h2>
      <p className="claim-meta">
        <DateTime value={report.created_at} /> · article <Link to={`/articles/${report.article_id}`}>{report.article_title}</Link>
        {report.claim_id && (
          <>
            {' '}
            · claim <Link to={`/claims/${report.claim_id}`}>{report.claim_statement}</Link>
          </>
        )}
      </p>
      <blockquote className="claim-excerpt">
        <p className="pre-wrap">{report.message}</p>
      </blockquote>
      <p>{report.contact ? <>Contact: {report.contact}</> : <span className="muted">The reader left no contact.</span>}</p>
      {report.correction && (
        <p>
          Led to the correction of <DateTime value={report.correction.created_at} />: {report.correction.note}
        </p>
      )}
      {report.replies.length > 0 && (
        <>
          <h3>Replies sent</h3>
          <ul className="plain">
            {report.replies.map((x) => (
              <li key={x.id} className="claim-item">
                <p className="claim-meta">
                  <strong>{x.author_name}</strong> <DateTime value={x.created_at} />
                </p>
                <p className="pre-wrap">{x.body}</p>
              </li>
            ))}
          </ul>
        </>
      )}
      <form onSubmit={save} noValidate className="form-grid" aria-label="Status">
        <ProblemMessage error={update.error} fields={['status', 'correction_id']} />
        <Field label="Status" name="status" error={update.error}>
          {(p) => (
            <select {...p} value={status} onChange={(e) => setStatus(e.target.value as ReportStatus)}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_WORDS[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Correction it led to" name="correction_id" error={update.error}>
          {(p) => (
            <select {...p} value={correctionId} onChange={(e) => setCorrectionId(e.target.value)}>
              <option value="">None</option>
              {report.corrections.map((c) => (
                <option key={c.id} value={c.id}>
                  {new Date(c.created_at).toLocaleDateString()}: {c.note.length > 60 ? `${c.note.slice(0, 60)}…` : c.note}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field">
          <button type="submit" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save status'}
          </button>
        </div>
      </form>
      {report.can_reply ? (
        <form onSubmit={send} noValidate aria-label="Answer the reader">
          <ProblemMessage error={answer.error} fields={['body']} />
          <Field label="Reply to the reader" name="body" error={answer.error} hint={`Sent by email to ${report.contact}; replies come back to you.`}>
            {(p) => <textarea {...p} rows={3} value={reply} onChange={(e) => setReply(e.target.value)} />}
          </Field>
          <button type="submit" className="primary" disabled={answer.isPending}>
            {answer.isPending ? 'Sending…' : 'Send reply'}
          </button>
        </form>
      ) : (
        report.contact && <p className="muted">The contact is not an email address: answer the reader another way.</p>
      )}
    </li>
  );
}
