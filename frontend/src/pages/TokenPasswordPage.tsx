/**
 * Choosing a password from an emailed link: `/accept-invite#token=…` (a new account,
 * signed in straight away) or `/reset-password#token=…`. The token travels in the
 * fragment so it never reaches a server log or a Referer header.
 */
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useTokenPassword } from '../api/auth';
import { Field, ProblemMessage } from '../components/forms';
import { usePageTitle } from '../lib/usePageTitle';

export function tokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
}

export default function TokenPasswordPage() {
  const location = useLocation();
  const invite = location.pathname.startsWith('/accept-invite');
  usePageTitle(invite ? 'Accept your invitation' : 'Choose a new password');
  const token = tokenFromHash(location.hash);
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const save = useTokenPassword(invite, {
    onSuccess: (signedIn) => {
      if (signedIn) navigate('/', { replace: true });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setMismatch(password !== confirm);
    if (password === confirm) save.mutate({ token, password });
  }

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
              onChange={(e) => setPassword(e.target.value)}
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
            onChange={(e) => setConfirm(e.target.value)}
          />
          {mismatch && (
            <p className="field-error" id="confirm-error">
              The two passwords differ.
            </p>
          )}
        </div>
        <button type="submit" className="primary" disabled={save.isPending}>
          {invite ? 'Set password and sign in' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
