/** Form building blocks that show the server's problem+json next to the right fields. */
import { useId, useSyncExternalStore, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { fieldInWords } from '../lib/problem';
import { dueInWords, formatDate, formatDateTime } from '../lib/time';

/** The message for `field` in an error from the API, if any. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(field) : undefined;
}

interface FieldProps {
  label: string;
  /** The name the server uses for this field in `errors[].field`. */
  name: string;
  error?: unknown;
  hint?: ReactNode;
  children: (props: {
    id: string;
    name: string;
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}

/** A label, the control, a hint, and the server's message for this field. */
export function Field({ label, name, error, hint, children }: FieldProps) {
  const id = useId();
  const message = fieldError(error, name);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = message ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${message ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, 'aria-invalid': Boolean(message), 'aria-describedby': describedBy })}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {message && (
        <p className="field-error" id={errorId}>
          {message}
        </p>
      )}
    </div>
  );
}

/**
 * The error of a failed request in words. Field errors are shown by their fields; the
 * ones no field on this form claims are listed here so nothing is hidden.
 */
export function ProblemMessage({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) {
    return (
      <div className="notice notice--bad" role="alert">
        {error instanceof Error ? error.message : String(error)}
      </div>
    );
  }
  const { problem } = error;
  const unclaimed = (problem.errors ?? []).filter((e) => !fields.includes(e.field));
  const claimed = (problem.errors ?? []).length - unclaimed.length;
  return (
    <div className="notice notice--bad" role="alert">
      <strong>{problem.title}</strong>
      {problem.detail && <span> {problem.detail}</span>}
      {claimed > 0 && <span> Check the highlighted fields.</span>}
      {unclaimed.length > 0 && (
        <ul>
          {unclaimed.map((e) => (
            <li key={e.field + e.message}>
              {fieldInWords(e.field)}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Formats a date-time in the reader's locale, or an em dash. */
export function DateTime({ value, withTime = true }: { value?: string | null; withTime?: boolean }) {
  if (!value) return <>—</>;
  const date = new Date(value);
  return (
    <time dateTime={value} title={date.toISOString()}>
      {withTime ? formatDateTime(date) : formatDate(date)}
    </time>
  );
}

/** A deadline: its time (zone named) and how far it is, "due in 3 hours" or "overdue by 2 days". */
export function Deadline({ value }: { value?: string | null }) {
  const now = new Date(useSyncExternalStore(minuteClock.subscribe, minuteClock.now));
  if (!value) return <>—</>;
  const late = new Date(value).getTime() < now.getTime();
  return (
    <>
      <DateTime value={value} /> <span className={late ? 'deadline deadline--late' : 'deadline'}>({dueInWords(value, now)})</span>
    </>
  );
}

/** One timer for every deadline on the page: the time, refreshed each minute while shown. */
const minuteClock = (() => {
  let now = Date.now();
  const listeners = new Set<() => void>();
  let timer: number | undefined;
  return {
    now: () => now,
    subscribe(listener: () => void) {
      listeners.add(listener);
      if (timer === undefined) {
        now = Date.now();
        timer = window.setInterval(() => {
          now = Date.now();
          for (const l of listeners) l();
        }, 60_000);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          window.clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
})();
