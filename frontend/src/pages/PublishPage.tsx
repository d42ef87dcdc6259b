/**
 * Publishing an article's verdict summary: a preview of exactly what goes public, the
 * Publish button, then corrections and taking the page down.
 *
 * The article's `publication` says where its page is (and why it came down, if it
 * did); the page itself, with its corrections, is read from the public JSON.
 */
import { useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useArticle } from '../api/articles';
import { ApiError, type Claim, type Rating, type Schemas } from '../api/client';
import {
  useAddCorrection,
  usePublicPage,
  usePublish,
  useUnpublish,
  type Existing,
  type Publication,
} from '../api/publishing';
import { NotForYourRole, useUser } from '../auth/session';
import { StatusBadge } from '../components/badges';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DateTime, Field, ProblemMessage } from '../components/forms';
import { blockedClaimId, publicPath } from '../lib/publication';
import { RatingLabel, useRatingScale } from '../components/rating';
import { articleStatusLabel } from '../lib/labels';
import { usePageTitle } from '../lib/usePageTitle';

type LeftOut = Schemas['LeftOut'];

/** The server's publish plan with its claim ids looked up in the article's claims. */
interface Plan {
  /** Approved now: published with their approved verdict. */
  toPublish: Claim[];
  /** Published before: stay public with the verdict they were published with. */
  kept: Claim[];
  /** Not on the page this time (still being checked), with the server's reason. */
  leftOut: LeftOut[];
  dropped: Claim[];
  refusal: Schemas['PublishPlan']['refusal'];
}

function planClaims(plan: Schemas['PublishPlan'], claims: Claim[]): Plan {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const pick = (ids: string[]) => ids.flatMap((id) => byId.get(id) ?? []);
  return {
    toPublish: pick(plan.to_publish),
    kept: pick(plan.kept),
    leftOut: plan.left_out,
    dropped: pick(plan.dropped),
    refusal: plan.refusal ?? null,
  };
}

function PreviewClaim({ claim, scale, note }: { claim: Claim; scale: Rating[] | undefined; note?: string }) {
  return (
    <li className="preview-claim">
      <p className="preview-claim__statement">
        <Link to={`/claims/${claim.id}`}>{claim.statement}</Link>
        {claim.claimant && <span className="muted"> — {claim.claimant}</span>}
      </p>
      <p className="preview-claim__verdict">
        <strong>
          <RatingLabel rating={claim.verdict?.rating} scale={scale} />
        </strong>
        {claim.verdict?.summary ? <span>: {claim.verdict.summary}</span> : null}
      </p>
      {note && <p className="muted">{note}</p>}
    </li>
  );
}

export default function PublishPage() {
  const { id = '' } = useParams();
  const user = useUser();
  const article = useArticle(id);
  usePageTitle(article.data ? `Publish: ${article.data.title}` : 'Publish');
  const scale = useRatingScale();
  const claims = article.data?.claims ?? [];
  const everPublished = claims.some((c) => c.ever_published);
  const stored = article.data?.publication ?? null;
  const existing = usePublicPage(id, stored);

  // The publication as the last action here left it (publish or unpublish).
  const [justDone, setPublication] = useState<Publication | null>(null);
  const publication = justDone ?? stored;
  const [headline, setHeadline] = useState<string | null>(null);
  const [summary, setSummary] = useState<string | null>(null);

  const live = existing.data?.kind === 'live' ? existing.data.page : null;
  // What is public now (or was, before a takedown) is the starting point, so a
  // republication never blanks the page; a first one starts as a fact-check headline.
  const headlineValue =
    headline ?? live?.headline ?? publication?.headline ?? (article.data ? `Fact check: ${article.data.title}` : '');
  const summaryValue = summary ?? live?.summary ?? publication?.summary ?? '';

  const publish = usePublish(id, { onSuccess: (p) => setPublication(p) });

  const loading = (
    <section>
      <h1>Publish</h1>
      <p role="status">Loading the article…</p>
    </section>
  );
  if (article.isPending) return loading;
  if (article.isError) {
    return (
      <section>
        <h1>Publish</h1>
        <ProblemMessage error={article.error} />
        <p>
          <Link to="/articles">Back to the articles</Link>
        </p>
      </section>
    );
  }

  const a = article.data;
  if (!a.publish_plan) {
    // An article stored from another answer (an edit's) has no plan until it is fetched again.
    if (article.isFetching) return loading;
    // The server sends the plan to those who may publish: there is nothing here for this user.
    return <NotForYourRole roles={['editor', 'admin']} role={user.role} />;
  }
  const plan = planClaims(a.publish_plan, claims);
  const outlookId = `publish-outlook-${a.id}`;
  const blockers = new Map<string, string>();
  if (publish.error instanceof ApiError) {
    for (const e of publish.error.problem.errors ?? []) {
      const claimId = blockedClaimId(e.field);
      if (claimId) blockers.set(claimId, e.message);
    }
  }
  const blockerFields = [...blockers.keys()].map((c) => `claims[${c}]`);

  const slug = publication?.slug ?? (existing.data && 'slug' in existing.data ? existing.data.slug : null);
  const isDown = publication ? publication.unpublished_at != null : existing.data?.kind === 'gone';
  const hasPage = Boolean(publication) || everPublished;

  // What publishing would do with the text as typed, said before the click.
  const textChanged =
    Boolean(publication) &&
    (headlineValue.trim() !== (live?.headline ?? publication?.headline ?? '') ||
      summaryValue.trim() !== (live?.summary ?? publication?.summary ?? ''));
  const refused = plan.refusal === 'nothing_approved' || (plan.refusal === 'nothing_new' && !textChanged);

  function submitPublish(e: FormEvent) {
    e.preventDefault();
    publish.mutate({ headline: headlineValue, summary: summaryValue });
  }

  return (
    <section>
      <p className="breadcrumb">
        <Link to={`/articles/${a.id}`}>← {a.title}</Link>
      </p>
      <h1>Publish the verdict summary</h1>
      <p className="lead">
        <span className={`badge${a.status === 'published' ? ' badge--ok' : a.status === 'ready' ? ' badge--warn' : ''}`}>
          {articleStatusLabel(a.status)}
        </span>{' '}
        {a.title}
        {a.outlet && <span className="muted"> · {a.outlet}</span>}
      </p>

      {justDone && !justDone.unpublished_at && (
        <div className="notice notice--ok" role="status">
          <strong>Published.</strong> Revision {justDone.revision}, <DateTime value={justDone.published_at} />.{' '}
          <a href={publicPath(justDone.slug)}>Open the public page</a>
        </div>
      )}

      <h2>{hasPage && plan.toPublish.length === 0 ? 'What is public' : 'What will be published'}</h2>
      {claims.length === 0 ? (
        <p>
          This article has no claims yet. <Link to={`/articles/${a.id}`}>Add claims to the article</Link> first.
        </p>
      ) : (
        <>
          <h3>Included</h3>
          {plan.toPublish.length + plan.kept.length === 0 ? (
            <p>No claim is approved yet.</p>
          ) : (
            <ul className="plain preview-list">
              {plan.toPublish.map((c) => (
                <PreviewClaim key={c.id} claim={c} scale={scale.data} note={c.ever_published ? 'New verdict after a correction.' : undefined} />
              ))}
              {plan.kept.map((c) => (
                <PreviewClaim key={c.id} claim={c} scale={scale.data} note="Already public; stays as published." />
              ))}
            </ul>
          )}
          {(plan.leftOut.length > 0 || plan.dropped.length > 0) && (
            <>
              <h3 id="not-included">Not included</h3>
              {plan.leftOut.length > 0 && (
                <p>
                  Claims still being checked are left out of the page (readers do not see them); they go public when
                  approved and the article is published again.
                </p>
              )}
              <ul className="plain preview-list">
                {plan.leftOut.map((b) => (
                  <li
                    key={b.claim_id}
                    className={blockers.has(b.claim_id) ? 'preview-claim preview-claim--blocking' : 'preview-claim'}
                  >
                    <p className="preview-claim__statement">
                      <Link to={`/claims/${b.claim_id}`}>{b.statement}</Link> <StatusBadge status={b.status} />{' '}
                      <span className="muted">not included</span>
                    </p>
                    {blockers.has(b.claim_id) ? (
                      <p className="field-error">{blockers.get(b.claim_id)}</p>
                    ) : (
                      <p className="muted">Why: {b.reason}.</p>
                    )}
                  </li>
                ))}
                {plan.dropped.map((c) => (
                  <li key={c.id} className="preview-claim">
                    <p className="preview-claim__statement">
                      <Link to={`/claims/${c.id}`}>{c.statement}</Link> <StatusBadge status={c.status} />{' '}
                      <span className="muted">not included</span>
                    </p>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}

      <h2>{hasPage ? 'Publish again' : 'Publish'}</h2>
      {hasPage && (
        <p>
          Publishing again adds newly approved verdicts to the same public address
          {isDown ? ' and puts the page that was taken down back up' : ''}. Claims already public keep the verdict
          they were published with.
        </p>
      )}
      <PublishOutlook plan={plan} isDown={isDown} textChanged={textChanged} id={outlookId} />
      {blockers.size > 0 ? (
        <div className="notice notice--bad" role="alert">
          <strong>Not published.</strong> No claim is approved with a source the public can open; see{' '}
          <a href="#not-included">not included</a> above for what each claim still needs.
        </div>
      ) : (
        <ProblemMessage error={publish.error} fields={['headline', 'summary', 'claims', ...blockerFields]} />
      )}
      <form onSubmit={submitPublish} noValidate className="panel">
        <Field label="Headline" name="headline" error={publish.error} hint="The title of the public page.">
          {(p) => (
            <input {...p} required maxLength={300} value={headlineValue} onChange={(e) => setHeadline(e.target.value)} />
          )}
        </Field>
        <Field
          label="Summary"
          name="summary"
          error={publish.error}
          hint="The desk’s summary of the article’s claims, shown above them."
        >
          {(p) => <textarea {...p} rows={4} maxLength={5000} value={summaryValue} onChange={(e) => setSummary(e.target.value)} />}
        </Field>
        <button
          type="submit"
          className="primary"
          disabled={publish.isPending || refused}
          aria-describedby={outlookId}
        >
          {publish.isPending ? 'Publishing…' : 'Publish'}
        </button>
      </form>

      {hasPage && (
        <PublicPageSection
          articleId={a.id}
          slug={slug}
          existing={existing.data}
          existingError={existing.error}
          loading={existing.isPending && everPublished && !publication}
          publication={publication}
          isDown={isDown}
          publishedClaims={plan.kept}
          onUnpublished={setPublication}
        />
      )}
    </section>
  );
}

interface PublicPageProps {
  articleId: string;
  slug: string | null;
  existing: Existing | undefined;
  existingError: unknown;
  loading: boolean;
  publication: Publication | null;
  isDown: boolean;
  publishedClaims: Claim[];
  onUnpublished: (p: Publication) => void;
}

function PublicPageSection({
  articleId,
  slug,
  existing,
  existingError,
  loading,
  publication,
  isDown,
  publishedClaims,
  onUnpublished,
}: PublicPageProps) {
  const live = existing?.kind === 'live' ? existing.page : null;
  return (
    <>
      <h2>The public page</h2>
      {loading ? (
        <p role="status">Looking up the public page…</p>
      ) : (
        <div className="panel">
          {existingError ? <ProblemMessage error={existingError} /> : null}
          {publication ? (
            <dl className="meta-list">
              <dt>Headline</dt>
              <dd>{publication.headline}</dd>
              <dt>Revision</dt>
              <dd>{publication.revision}</dd>
              <dt>Published</dt>
              <dd>
                <DateTime value={publication.published_at} />
              </dd>
              {publication.unpublished_at && (
                <>
                  <dt>Taken down</dt>
                  <dd>
                    <DateTime value={publication.unpublished_at} />
                    {publication.unpublish_reason && <>: {publication.unpublish_reason}</>}
                  </dd>
                </>
              )}
            </dl>
          ) : live ? (
            <dl className="meta-list">
              <dt>Headline</dt>
              <dd>{live.headline}</dd>
              <dt>Revision</dt>
              <dd>{live.revision}</dd>
              <dt>Published</dt>
              <dd>
                <DateTime value={live.published_at} />
              </dd>
              {live.updated_at && (
                <>
                  <dt>Last correction</dt>
                  <dd>
                    <DateTime value={live.updated_at} />
                  </dd>
                </>
              )}
            </dl>
          ) : existing?.kind === 'gone' ? (
            <p>The page was taken down. Publishing again puts it back at the same address.</p>
          ) : null}
          {slug ? (
            isDown ? (
              <p>
                The page is down: its address <code>{publicPath(slug)}</code> answers “gone”.
              </p>
            ) : (
              <p>
                <a href={publicPath(slug)}>Open the public page</a>
              </p>
            )
          ) : (
            <p className="muted">The page’s address could not be found.</p>
          )}
        </div>
      )}

      {live && live.corrections.length > 0 && (
        <>
          <h3>Corrections so far</h3>
          <ul className="plain">
            {live.corrections.map((c, i) => (
              <li key={`${c.date}-${i}`}>
                <DateTime value={c.date} />: {c.note}
              </li>
            ))}
          </ul>
        </>
      )}

      <CorrectionForm articleId={articleId} publishedClaims={publishedClaims} />
      {!isDown && <UnpublishForm articleId={articleId} onUnpublished={onUnpublished} />}
    </>
  );
}

/** Adds a correction; what it changed (the article, the lists, the figures) is refreshed after. */
function CorrectionForm({ articleId, publishedClaims }: { articleId: string; publishedClaims: Claim[] }) {
  const [note, setNote] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const legendId = useId();
  const correct = useAddCorrection(articleId, {
    onSuccess: () => {
      setNote('');
      setSelected([]);
    },
  });
  const sent = correct.variables?.claim_ids ?? [];
  const claimError = (claimId: string) => {
    const i = sent.indexOf(claimId);
    return i >= 0 && correct.error instanceof ApiError ? correct.error.fieldError(`claim_ids[${i}]`) : undefined;
  };
  const claimFields = sent.map((_, i) => `claim_ids[${i}]`);

  function submit(e: FormEvent) {
    e.preventDefault();
    correct.mutate({ note, claim_ids: selected });
  }

  return (
    <>
      <h2>Add a correction</h2>
      <p>
        The dated note shows on the public page at once. Claims you tick are reopened; their public verdict stays until
        they are approved again and the article is published again.
      </p>
      {correct.isSuccess && (
        <p className="notice notice--ok" role="status">
          Correction added
          {correct.data.claim_ids.length > 0
            ? `; ${correct.data.claim_ids.length} ${correct.data.claim_ids.length === 1 ? 'claim' : 'claims'} reopened`
            : ''}
          .
        </p>
      )}
      <ProblemMessage error={correct.error} fields={['note', ...claimFields]} />
      <form onSubmit={submit} noValidate className="panel">
        <Field label="Correction note" name="note" error={correct.error}>
          {(p) => <textarea {...p} required rows={3} maxLength={5000} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        {publishedClaims.length > 0 && (
          <fieldset aria-describedby={`${legendId}-hint`}>
            <legend>Claims to reopen</legend>
            <p className="field-hint" id={`${legendId}-hint`}>
              Optional. Only published claims can be reopened.
            </p>
            {publishedClaims.map((c) => {
              const err = claimError(c.id);
              return (
                <div key={c.id} className="check-row">
                  <input
                    type="checkbox"
                    id={`${legendId}-${c.id}`}
                    checked={selected.includes(c.id)}
                    aria-invalid={Boolean(err)}
                    aria-describedby={err ? `${legendId}-${c.id}-error` : undefined}
                    onChange={(e) =>
                      setSelected((s) => (e.target.checked ? [...s, c.id] : s.filter((x) => x !== c.id)))
                    }
                  />
                  <label htmlFor={`${legendId}-${c.id}`}>{c.statement}</label>
                  {err && (
                    <p className="field-error" id={`${legendId}-${c.id}-error`}>
                      {err}
                    </p>
                  )}
                </div>
              );
            })}
          </fieldset>
        )}
        <button type="submit" disabled={correct.isPending}>
          {correct.isPending ? 'Adding…' : 'Add the correction'}
        </button>
      </form>
    </>
  );
}

function UnpublishForm({ articleId, onUnpublished }: { articleId: string; onUnpublished: (p: Publication) => void }) {
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const unpublish = useUnpublish(articleId, {
    onSuccess: (p) => {
      setConfirming(false);
      setReason('');
      onUnpublished(p);
    },
    onError: () => setConfirming(false),
  });

  const [missing, setMissing] = useState<ApiError | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    unpublish.reset();
    if (!reason.trim()) {
      setMissing(
        new ApiError({
          type: 'about:blank',
          title: 'A reason is needed',
          status: 422,
          errors: [{ field: 'reason', message: 'Say why the page comes down.' }],
        }),
      );
      return;
    }
    setMissing(null);
    setConfirming(true);
  }

  return (
    <>
      <h2>Take the page down</h2>
      <p>
        For legal or safety reasons only. The public address then answers with a short notice that the page was taken
        down, and its ClaimReview disappears. Publishing again puts it back.
      </p>
      <ProblemMessage error={unpublish.error ?? missing} fields={['reason']} />
      <form onSubmit={submit} noValidate className="panel">
        <Field label="Reason" name="reason" error={unpublish.error ?? missing} hint="Kept in the audit log.">
          {(p) => <textarea {...p} required rows={2} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <button type="submit" className="danger" disabled={unpublish.isPending}>
          Unpublish…
        </button>
      </form>
      <ConfirmDialog
        open={confirming}
        title="Take the public page down?"
        confirmLabel={unpublish.isPending ? 'Taking it down…' : 'Yes, unpublish'}
        danger
        busy={unpublish.isPending}
        onConfirm={() => unpublish.mutate(reason)}
        onCancel={() => setConfirming(false)}
      >
        <p>Readers will see that the page was taken down.</p>
      </ConfirmDialog>
    </>
  );
}

/** One sentence before the click: what Publish would do now, or why it cannot. */
function PublishOutlook({
  plan,
  isDown,
  textChanged,
  id,
}: {
  plan: Plan;
  isDown: boolean;
  textChanged: boolean;
  id: string;
}) {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const waiting =
    plan.leftOut.length > 0 ? ` ${n(plan.leftOut.length, 'claim is', 'claims are')} still being checked and left out.` : '';
  if (plan.refusal === 'nothing_approved') {
    return (
      <p id={id} className="notice notice--warn" data-testid="publish-outlook">
        <strong>Not yet.</strong> Publishing needs at least one approved claim whose verdict cites a source the public
        can open.{waiting}
      </p>
    );
  }
  if (plan.refusal === 'nothing_new' && !textChanged) {
    return (
      <p id={id} className="notice notice--warn" data-testid="publish-outlook">
        <strong>Nothing new to publish.</strong> No claim was approved since the last publication. Change the headline
        or summary to publish them as a new revision.{waiting}
      </p>
    );
  }
  const fresh = plan.toPublish.length;
  const kept = plan.kept.length;
  const what =
    fresh > 0
      ? `Publish puts ${n(fresh, 'newly approved claim', 'newly approved claims')} on the page${kept ? `, with ${n(kept, 'claim', 'claims')} already public` : ''}.`
      : isDown
        ? `Publish puts the page back up with its ${n(kept, 'claim', 'claims')}.`
        : `Publish makes a new revision of the page with the new headline or summary and its ${n(kept, 'claim', 'claims')}.`;
  return (
    <p id={id} className="notice notice--ok" data-testid="publish-outlook">
      {what}
      {waiting}
    </p>
  );
}
