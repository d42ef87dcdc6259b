/**
 * A new claim from a selection in the article (or a quote typed in): the server anchors
 * it by the character span, or finds the quote itself when the editor changed it.
 * While the statement is typed, earlier claims like it are shown, so the desk does not
 * check the same thing twice.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useCreateClaim, useSimilarTo } from '../../api/claims';
import type { Priority } from '../../api/client';
import { PRIORITIES, PRIORITY_LABELS } from '../../lib/labels';
import { useDebounced } from '../../lib/useDebounced';
import { Field, ProblemMessage } from '../forms';
import { SimilarList } from '../SimilarClaims';
import type { TextSelection } from './ArticleText';

const FIELDS = ['quote', 'statement', 'claimant', 'claimed_at', 'priority', 'occurrence'];

export function NewClaimForm({
  articleId,
  selection,
  onClose,
}: {
  articleId: string;
  selection: TextSelection;
  onClose: () => void;
}) {
  const navigate = useNavigate();
  const [quote, setQuote] = useState(selection.quote);
  const [statement, setStatement] = useState(selection.quote);
  const [claimant, setClaimant] = useState('');
  const [claimedOn, setClaimedOn] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [occurrence, setOccurrence] = useState('');
  const statementRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    // The form opens below the text: bring it into view and start at the statement.
    statementRef.current?.scrollIntoView({ block: 'center' });
    statementRef.current?.focus();
  }, []);
  const lookFor = useDebounced(statement.trim(), 400);
  const similar = useSimilarTo(lookFor);

  const create = useCreateClaim(articleId, { onSuccess: (claim) => navigate(`/claims/${claim.id}`) });

  function submit(e: FormEvent) {
    e.preventDefault();
    // The selection's span, unless the editor rewrote the quote: then the server finds it.
    const anchor =
      quote === selection.quote && selection.span_end > selection.span_start
        ? { span_start: selection.span_start, span_end: selection.span_end }
        : { quote, ...(occurrence ? { occurrence: Number(occurrence) } : {}) };
    create.mutate({
      ...anchor,
      statement: statement.trim() || null,
      claimant: claimant.trim() || null,
      claimed_at: claimedOn ? new Date(`${claimedOn}T12:00:00Z`).toISOString() : null,
      priority,
    });
  }

  return (
    <section className="panel" aria-labelledby="new-claim-heading">
      <h2 id="new-claim-heading">New claim</h2>
      <ProblemMessage error={create.error} fields={FIELDS} />
      <form onSubmit={submit} noValidate>
        <Field
          label="Quote"
          name="quote"
          error={create.error}
          hint="The exact words in the article. Edit them and the server finds them in the text."
        >
          {(p) => <textarea {...p} rows={2} value={quote} onChange={(e) => setQuote(e.target.value)} />}
        </Field>
        {quote !== selection.quote && (
          <Field label="Occurrence" name="occurrence" error={create.error} hint="Which one, if the quote appears more than once (1 is the first).">
            {(p) => (
              <input {...p} type="number" min={1} value={occurrence} onChange={(e) => setOccurrence(e.target.value)} />
            )}
          </Field>
        )}
        <Field label="Statement" name="statement" error={create.error} hint="The claim as the desk will check it.">
          {(p) => (
            <textarea {...p} ref={statementRef} rows={2} required value={statement} onChange={(e) => setStatement(e.target.value)} />
          )}
        </Field>
        <div className="form-grid">
          <Field label="Claimant" name="claimant" error={create.error} hint="Who made the claim.">
            {(p) => <input {...p} value={claimant} onChange={(e) => setClaimant(e.target.value)} />}
          </Field>
          <Field label="Claimed on" name="claimed_at" error={create.error}>
            {(p) => <input {...p} type="date" value={claimedOn} onChange={(e) => setClaimedOn(e.target.value)} />}
          </Field>
          <Field label="Priority" name="priority" error={create.error}>
            {(p) => (
              <select {...p} value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
                {PRIORITIES.map((k) => (
                  <option key={k} value={k}>
                    {PRIORITY_LABELS[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="button-row">
          <button type="submit" className="primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create claim'}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
      <h3>Checked before?</h3>
      {lookFor.length < 8 ? (
        <p className="muted">Similar earlier claims appear here as you write the statement.</p>
      ) : similar.isPending ? (
        <p role="status" className="muted">
          Looking for similar earlier claims…
        </p>
      ) : (
        <div aria-live="polite">
          <SimilarList items={similar.data ?? []} />
        </div>
      )}
    </section>
  );
}
