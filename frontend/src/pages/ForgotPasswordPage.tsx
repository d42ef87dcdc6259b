import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useRequestPasswordReset } from '../api/auth';
import { Field, ProblemMessage } from '../components/forms';
import { usePageTitle } from '../lib/usePageTitle';

export default function ForgotPasswordPage() {
  usePageTitle('Forgot password');
  const [email, setEmail] = useState('');
  const request = useRequestPasswordReset();

  function submit(e: FormEvent) {
    e.preventDefault();
    request.mutate(email);
  }

  return (
    <section className="narrow">
      <h1>Reset your password</h1>
      {request.isSuccess ? (
        <p className="notice notice--ok" role="status">
          If an active account uses {email}, we have sent it a link to choose a new password. The
          link works once, for a limited time.
        </p>
      ) : (
        <>
          <p>Enter the email you sign in with; we will send you a link to choose a new password.</p>
          <ProblemMessage error={request.error} fields={['email']} />
          <form onSubmit={submit} noValidate>
            <Field label="Email" name="email" error={request.error}>
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
            <button type="submit" className="primary" disabled={request.isPending}>
              {request.isPending ? 'Sending…' : 'Send the link'}
            </button>
          </form>
        </>
      )}
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </section>
  );
}
