/**
 * An editor's email to reviewers: choose active reviewers, write a subject and a text,
 * optionally about one claim (`/messages?claim_id=…`, then it shows in the claim's history).
 */
import { useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useClaimSubject } from '../api/claims';
import { ApiError } from '../api/client';
import { useSendMessage } from '../api/messages';
import { useActiveReviewers } from '../api/users';
import { Field, ProblemMessage } from '../components/forms';
import { usePageTitle } from '../lib/usePageTitle';

export default function MessagesPage() {
  usePageTitle('Message reviewers');
  const [params, setParams] = useSearchParams();
  const claimId = params.get('claim_id');
  const [selected, setSelected] = useState<string[]>([]);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const groupId = useId();

  const reviewers = useActiveReviewers();
  const claim = useClaimSubject(claimId);

  const send = useSendMessage({
    onSuccess: () => {
      setSubject('');
      setBody('');
      setSelected([]);
    },
  });

  const people = reviewers.data?.items ?? [];
  const sentIds = send.variables?.user_ids ?? [];
  const recipientError = (userId: string) => {
    const i = sentIds.indexOf(userId);
    return i >= 0 && send.error instanceof ApiError ? send.error.fieldError(`user_ids[${i}]`) : undefined;
  };
  const groupError = send.error instanceof ApiError ? send.error.fieldError('user_ids') : undefined;
  const allSelected = people.length > 0 && people.every((p) => selected.includes(p.id));

  function submit(e: FormEvent) {
    e.preventDefault();
    send.mutate({ user_ids: selected, subject, body, claim_id: claimId || null });
  }

  return (
    <section className="narrow-wide">
      <h1>Message reviewers</h1>
      <p className="lead">The message goes by email to each reviewer you choose.</p>
      {send.isSuccess && (
        <p className="notice notice--ok" role="status">
          Message sent to {send.data.recipients} {send.data.recipients === 1 ? 'reviewer' : 'reviewers'}.
        </p>
      )}
      <ProblemMessage
        error={send.error}
        fields={['subject', 'body', 'user_ids', 'claim_id', ...sentIds.map((_, i) => `user_ids[${i}]`)]}
      />
      <form onSubmit={submit} noValidate>
        {claimId && (
          <div className="panel">
            <h2>About a claim</h2>
            {claim.isPending ? (
              <p role="status">Loading the claim…</p>
            ) : claim.isError ? (
              <ProblemMessage error={claim.error} />
            ) : (
              <p>
                <Link to={`/claims/${claim.data.id}`}>{claim.data.statement}</Link>
                <span className="muted"> — the message will show in the claim’s history.</span>
              </p>
            )}
            {send.error instanceof ApiError && send.error.fieldError('claim_id') && (
              <p className="field-error">{send.error.fieldError('claim_id')}</p>
            )}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                const next = new URLSearchParams(params);
                next.delete('claim_id');
                setParams(next, { replace: true });
              }}
            >
              Send it without the claim
            </button>
          </div>
        )}

        <h2>Recipients</h2>
        {reviewers.isPending ? (
          <p role="status">Loading reviewers…</p>
        ) : reviewers.isError ? (
          <ProblemMessage error={reviewers.error} />
        ) : people.length === 0 ? (
          <p className="notice">There are no active reviewers.</p>
        ) : (
          <fieldset
            className={groupError ? 'field--invalid' : undefined}
            aria-describedby={groupError ? `${groupId}-error` : undefined}
          >
            <legend>Reviewers ({selected.length} of {people.length} chosen)</legend>
            <div className="check-row">
              <input
                type="checkbox"
                id={`${groupId}-all`}
                checked={allSelected}
                onChange={(e) => setSelected(e.target.checked ? people.map((p) => p.id) : [])}
              />
              <label htmlFor={`${groupId}-all`}>
                <strong>All active reviewers</strong>
              </label>
            </div>
            <div className="check-grid">
              {people.map((p) => {
                const err = recipientError(p.id);
                return (
                  <div key={p.id} className="check-row">
                    <input
                      type="checkbox"
                      id={`${groupId}-${p.id}`}
                      checked={selected.includes(p.id)}
                      aria-invalid={Boolean(err)}
                      aria-describedby={err ? `${groupId}-${p.id}-error` : undefined}
                      onChange={(e) =>
                        setSelected((s) => (e.target.checked ? [...s, p.id] : s.filter((x) => x !== p.id)))
                      }
                    />
                    <label htmlFor={`${groupId}-${p.id}`}>
                      {p.display_name}{' '}
                      <span className="muted">
                        {/* A long address breaks after the @, not mid-word. */}
                        {p.email.slice(0, p.email.indexOf('@') + 1)}
                        <wbr />
                        {p.email.slice(p.email.indexOf('@') + 1)}
                      </span>
                    </label>
                    {err && (
                      <p className="field-error" id={`${groupId}-${p.id}-error`}>
                        {err}
                      </p>
                    )}
                  </div>
                );
              })}
            </div>
            {groupError && (
              <p className="field-error" id={`${groupId}-error`}>
                {groupError === 'name 1 to 200 recipients' ? 'Choose at least one reviewer.' : groupError}
              </p>
            )}
          </fieldset>
        )}

        <h2>Message</h2>
        <Field label="Subject" name="subject" error={send.error}>
          {(p) => <input {...p} required maxLength={200} value={subject} onChange={(e) => setSubject(e.target.value)} />}
        </Field>
        <Field label="Message" name="body" error={send.error} hint="Plain text.">
          {(p) => (
            <textarea {...p} required rows={8} maxLength={10_000} value={body} onChange={(e) => setBody(e.target.value)} />
          )}
        </Field>
        <button type="submit" className="primary" disabled={send.isPending}>
          {send.isPending ? 'Sending…' : 'Send'}
        </button>
      </form>
    </section>
  );
}
