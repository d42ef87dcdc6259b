import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useLogin } from '../api/auth';
import { safeNext, useMe } from '../auth/session';
import { Field, ProblemMessage } from '../components/forms';
import { usePageTitle } from '../lib/usePageTitle';

export function LoginPage() {
  usePageTitle('Sign in');
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const me = useMe();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useLogin({ onSuccess: () => navigate(next, { replace: true }) });

  if (me.data && !login.isPending) return <Navigate to={next} replace />;

  function submit(e: FormEvent) {
    e.preventDefault();
    login.mutate({ email, password });
  }

  return (
    <section className="narrow">
      <h1>Sign in to Factdesk</h1>
      {params.get('expired') && !login.error && (
        <p className="notice" role="status">
          Your session expired. Sign in again to go back to where you were: what you typed and had not saved is
          kept.
        </p>
      )}
      <ProblemMessage error={login.error} fields={['email', 'password']} />
      <form onSubmit={submit} noValidate>
        <Field label="Email" name="email" error={login.error}>
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Password" name="password" error={login.error}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </section>
  );
}
