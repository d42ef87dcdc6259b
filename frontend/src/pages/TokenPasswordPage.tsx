/**
 * Choosing a password from an emailed link: `/accept-invite#token=…` (a new account,
 * signed in straight away) or `/reset-password#token=…`. The token travels in the
 * fragment so it never reaches a server log or a Referer header.
 */
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { useMe, useTokenPassword } from '../api/auth';
import { Field, ProblemMessage } from '../components/forms';
import { usePageTitle } from '../lib/usePageTitle';

export function tokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
}

const TOKEN_KEY = 'factdesk.link-token';

/**
 * The link's token, taken out of the address bar at once (so it is neither shown nor
 * left in the history) and kept for this tab only, so a reload still works.
 */
function useLinkToken(hash: string, pathname: string): string {
  const [token] = useState(() => {
    const fromHash = tokenFromHash(hash);
    if (fromHash) {
      sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ pathname, token: fromHash }));
      window.history.replaceState(window.history.state, '', pathname);
      return fromHash;
    }
    try {
      const kept = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null') as { pathname: string; token: string } | null;
      return kept?.pathname === pathname ? kept.token : '';
    } catch {
      return '';
    }
  });
  return token;
}

export default function TokenPasswordPage() {
  const location = useLocation();
  const invite = location.pathname.startsWith('/accept-invite');
  usePageTitle(invite ? 'Accept your invitation' : 'Choose a new password');
  const token = useLinkToken(location.hash, location.pathname);
  const navigate = useNavigate();
  const me = useMe();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const save = useTokenPassword(invite, {
    onSuccess: (signedIn) => {
      sessionStorage.removeItem(TOKEN_KEY);
      if (signedIn) navigate('/', { replace: true });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setMismatch(password !== confirm);
    if (password === confirm) save.mutate({ token, password });
    // The mismatch is the one problem now: an earlier answer's error would mislead.
    else save.reset();
  }

  /** New typing clears the errors about the old. */
  function typed(set: (v: string) => void, value: string) {
    set(value);
    setMismatch(false);
    if (save.isError) save.reset();
  }

  // An accepted invitation that is opened again goes on to the app.
  if (!token && invite && me.data) return <Navigate to="/" replace />;

  if (!token) {
    return (
      <section className="narrow">
        <h1>{invite ? 'Accept your invitation' : 'Choose a new password'}</h1>
        <p className="notice notice--bad" role="alert">
          This link is incomplete. Open the link from your email again, or{' '}
          <Link to="/forgot-password">ask for a new one</Link>.
        </p>
      </section>
    );
  }

  if (save.isSuccess && !invite) {
    return (
      <section className="narrow">
        <h1>Password changed</h1>
        <p className="notice notice--ok" role="status">
          Your password is changed and your other sessions are signed out.
        </p>
        <p>
          <Link to="/login">Sign in with your new password</Link>
        </p>
      </section>
    );
  }

  return (
    <section className="narrow">
      <h1>{invite ? 'Welcome to Factdesk' : 'Choose a new password'}</h1>
      {invite && <p>Choose a password to finish setting up your account.</p>}
      <ProblemMessage error={save.error} fields={['password']} />
      <form onSubmit={submit} noValidate>
        <Field
          label="New password"
          name="password"
          error={save.error}
          hint="At least 12 characters. A passphrase of a few words is easy to remember."
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              required
              value={password}
              onChange={(e) => typed(setPassword, e.target.value)}
            />
          )}
        </Field>
        <div className={`field${mismatch ? ' field--invalid' : ''}`}>
          <label htmlFor="confirm-password">Repeat the password</label>
          <input
            id="confirm-password"
            type="password"
            autoComplete="new-password"
            required
            aria-invalid={mismatch}
            aria-describedby={mismatch ? 'confirm-error' : undefined}
            value={confirm}
            onChange={(e) => typed(setConfirm, e.target.value)}
          />
          {mismatch && (
            <p className="field-error" id="confirm-error">
              The two passwords differ.
            </p>
          )}
        </div>
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : invite ? 'Set password and sign in' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
