/**
 * The desk at a glance: claims by status, verdicts by rating, reviewers' workload and
 * the median times. Each chart is a <figure> whose data table gives the same numbers
 * to everyone (screen readers, keyboards, print); the charts themselves are hidden from
 * assistive technology. recharts is imported only here, so it loads with this page alone.
 */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useAgreement, useStats } from '../api/settings';
import { Field, ProblemMessage } from '../components/forms';
import { formatHours, ratingRows, statusRows, total } from '../lib/dashboard';
import { useRatingScale } from '../components/rating';
import { usePageTitle } from '../lib/usePageTitle';

const ACCENT = '#0b5cad';
const OVERDUE = '#b42318';

function ChartFigure({
  id,
  caption,
  chart,
  table,
}: {
  id: string;
  caption: ReactNode;
  chart: ReactNode;
  table: ReactNode;
}) {
  return (
    <figure className="chart-figure" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{caption}</figcaption>
      <div className="chart-figure__body">
        <div className="chart-figure__chart" aria-hidden="true">
          {chart}
        </div>
        <div className="table-wrap chart-figure__table">{table}</div>
      </div>
    </figure>
  );
}

const axisProps = {
  tick: { className: 'chart-tick' },
  stroke: 'currentColor',
} as const;

export default function DashboardPage() {
  usePageTitle('Dashboard');
  const stats = useStats();
  const scale = useRatingScale();

  if (stats.isPending) {
    return (
      <section>
        <h1>Dashboard</h1>
        <p role="status">Loading the figures…</p>
      </section>
    );
  }
  if (stats.isError) {
    return (
      <section>
        <h1>Dashboard</h1>
        <ProblemMessage error={stats.error} />
        <button type="button" onClick={() => stats.refetch()}>
          Try again
        </button>
      </section>
    );
  }

  const data = stats.data;
  const statuses = statusRows(data.claims_by_status);
  const ratings = ratingRows(data.verdicts_by_rating, scale.data);
  const reviewers = [...data.reviewers].sort((a, b) => b.open - a.open || a.name.localeCompare(b.name));
  const submitted = data.claims_by_status.submitted ?? 0;
  const approved = data.claims_by_status.approved ?? 0;

  return (
    <section className="dashboard">
      <div className="page-head">
        <h1>Dashboard</h1>
        <button type="button" className="secondary" onClick={() => stats.refetch()} disabled={stats.isFetching}>
          {stats.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>

      <h2 className="sr-only">Needs attention</h2>
      <ul className="stat-cards">
        <li className="stat-card">
          <span className="stat-card__value">{submitted}</span>
          <Link to="/claims?status=submitted">
            {submitted === 1 ? 'claim waits' : 'claims wait'} for approval
          </Link>
        </li>
        <li className={`stat-card${data.overdue_claims > 0 ? ' stat-card--bad' : ''}`}>
          <span className="stat-card__value">{data.overdue_claims}</span>
          <Link to="/claims?overdue=true">overdue {data.overdue_claims === 1 ? 'claim' : 'claims'}</Link>
        </li>
        <li className="stat-card">
          <span className="stat-card__value">{approved}</span>
          <Link to="/claims?status=approved">approved, ready to publish</Link>
        </li>
      </ul>

      <h2>Time to verdict</h2>
      <dl className="figures">
        <div className="figure">
          <dt>Median time from assignment to submission</dt>
          <dd>{formatHours(data.median_hours_to_submission)}</dd>
        </div>
        <div className="figure">
          <dt>Median time from submission to approval</dt>
          <dd>{formatHours(data.median_hours_to_approval)}</dd>
        </div>
      </dl>

      <h2>Claims by status</h2>
      <ChartFigure
        id="chart-status"
        caption={`Claims by workflow status, ${total(statuses)} in all.`}
        chart={
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={statuses} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
              <XAxis dataKey="label" {...axisProps} interval={0} angle={-30} textAnchor="end" height={60} />
              <YAxis allowDecimals={false} {...axisProps} width={40} />
              <Tooltip />
              <Bar dataKey="count" name="Claims" fill={ACCENT} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Claims
                </th>
              </tr>
            </thead>
            <tbody>
              {statuses.map((s) => (
                <tr key={s.status}>
                  <th scope="row">
                    <Link to={`/claims?status=${encodeURIComponent(s.status)}`}>{s.label}</Link>
                  </th>
                  <td className="num">{s.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />

      <h2>Verdicts by rating</h2>
      <ChartFigure
        id="chart-rating"
        caption={`Approved verdicts by rating, ${total(ratings)} in all.`}
        chart={
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={ratings} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
              <XAxis dataKey="label" {...axisProps} interval={0} angle={-30} textAnchor="end" height={70} />
              <YAxis allowDecimals={false} {...axisProps} width={40} />
              <Tooltip />
              <Bar dataKey="count" name="Verdicts" isAnimationActive={false}>
                {ratings.map((r) => (
                  <Cell key={r.rating} fill={r.color} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">Rating</th>
                <th scope="col" className="num">
                  Verdicts
                </th>
              </tr>
            </thead>
            <tbody>
              {ratings.map((r) => (
                <tr key={r.rating}>
                  <th scope="row">
                    <span className="rating-swatch" style={{ background: r.color }} aria-hidden="true" />
                    <Link to={`/claims?rating=${encodeURIComponent(r.rating)}`}>{r.label}</Link>
                  </th>
                  <td className="num">{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />

      <h2>Reviewers’ workload</h2>
      {reviewers.length === 0 ? (
        <p>No reviewers yet.</p>
      ) : (
        <ChartFigure
          id="chart-reviewers"
          caption="Open and overdue claims per reviewer."
          chart={
            <ResponsiveContainer width="100%" height={Math.max(200, 60 + reviewers.length * 44)}>
              <BarChart
                data={reviewers}
                layout="vertical"
                margin={{ top: 8, right: 8, bottom: 8, left: 8 }}
                accessibilityLayer={false}
              >
                <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
                <XAxis type="number" allowDecimals={false} {...axisProps} />
                <YAxis type="category" dataKey="name" {...axisProps} width={110} />
                <Tooltip />
                <Legend />
                <Bar dataKey="open" name="Open" fill={ACCENT} isAnimationActive={false} />
                <Bar dataKey="overdue" name="Overdue" fill={OVERDUE} isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          }
          table={
            <table>
              <thead>
                <tr>
                  <th scope="col">Reviewer</th>
                  <th scope="col" className="num">
                    Open
                  </th>
                  <th scope="col" className="num">
                    Overdue
                  </th>
                </tr>
              </thead>
              <tbody>
                {reviewers.map((r) => (
                  <tr key={r.reviewer_id}>
                    <th scope="row">
                      <Link to={`/claims?assignee=${encodeURIComponent(r.reviewer_id)}`}>{r.name}</Link>
                      {!r.active && <span className="badge badge--warn"> inactive</span>}
                    </th>
                    <td className="num">{r.open}</td>
                    <td className="num">
                      {r.overdue > 0 ? (
                        <Link
                          to={`/claims?assignee=${encodeURIComponent(r.reviewer_id)}&overdue=true`}
                          aria-label={`${r.overdue} overdue for ${r.name}`}
                        >
                          {r.overdue}
                        </Link>
                      ) : (
                        0
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        />
      )}

      <AgreementSection />
    </section>
  );
}

/** A share as a percentage ("75%"), or a dash. */
function percent(v: number | null | undefined): string {
  return v == null ? '—' : `${Math.round(v * 1000) / 10}%`;
}

/** A coefficient to two decimals ("0.44"), or a dash when it cannot be computed. */
function coefficient(v: number | null | undefined): string {
  return v == null ? '—' : v.toFixed(2);
}

/** How far independent reviewers agree, for the desk and per pair, in a chosen window. */
function AgreementSection() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const agreement = useAgreement(from, to);
  const data = agreement.data;
  return (
    <section aria-labelledby="agreement-h">
      <h2 id="agreement-h">Agreement between independent reviewers</h2>
      <p className="muted">
        From each reviewer’s first proposal on claims two or more reviewed independently. Krippendorff’s alpha is
        ordinal over the 1–5 ratings and nominal over every label; Cohen’s kappa is per pair. 1 is full agreement, 0
        what chance would give.
      </p>
      <div className="form-grid">
        <Field label="From" name="from" error={agreement.error}>
          {(p) => <input {...p} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label="To" name="to" error={agreement.error}>
          {(p) => <input {...p} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}
        </Field>
      </div>
      <ProblemMessage error={agreement.error} fields={['from', 'to']} />
      {data &&
        (data.desk.claims === 0 ? (
          <p>No claim was reviewed independently by two reviewers in this window.</p>
        ) : (
          <>
            <dl className="figures" data-testid="agreement-desk">
              <div className="figure">
                <dt>Claims reviewed twice or more</dt>
                <dd>{data.desk.claims}</dd>
              </div>
              <div className="figure">
                <dt>Percent agreement</dt>
                <dd>{percent(data.desk.percent_agreement)}</dd>
              </div>
              <div className="figure">
                <dt>Krippendorff’s alpha (ordinal)</dt>
                <dd>{coefficient(data.desk.krippendorff_alpha)}</dd>
              </div>
              <div className="figure">
                <dt>Krippendorff’s alpha (nominal)</dt>
                <dd>{coefficient(data.desk.krippendorff_alpha_nominal)}</dd>
              </div>
            </dl>
            <table data-testid="agreement-pairs">
              <caption>Per pair of reviewers</caption>
              <thead>
                <tr>
                  <th scope="col">Reviewers</th>
                  <th scope="col" className="num">
                    Claims
                  </th>
                  <th scope="col" className="num">
                    Agreement
                  </th>
                  <th scope="col" className="num">
                    Cohen’s kappa
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.pairs.map((p) => (
                  <tr key={p.reviewer_ids.join()}>
                    <th scope="row">{p.reviewer_names.join(' and ')}</th>
                    <td className="num">{p.claims}</td>
                    <td className="num">{percent(p.percent_agreement)}</td>
                    <td className="num">{coefficient(p.cohen_kappa)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ))}
    </section>
  );
}
