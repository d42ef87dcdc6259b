/**
 * "Your session expired": when a request comes back 401 while someone is signed in, a
 * dialog over the page asks for the password again; once the same user is signed in,
 * the request that failed (a save, say) is sent again. Nothing on the page is lost,
 * and what was typed is also kept as a local draft.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { login, useMe, useSetMe } from '../api/auth';
import { setSessionExpiredHandler } from '../api/client';
import { Field, ProblemMessage } from '../components/forms';

export function SessionExpiredDialog() {
  const me = useMe();
  const user = me.data ?? null;
  const userRef = useRef(user);
  userRef.current = user;
  const setMe = useSetMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const pending = useRef<{ promise: Promise<boolean>; resolve: (ok: boolean) => void } | null>(null);
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    setSessionExpiredHandler(() => {
      if (!userRef.current) return Promise.resolve(false);
      if (!pending.current) {
        let resolve: (ok: boolean) => void = () => undefined;
        const promise = new Promise<boolean>((r) => {
          resolve = r;
        });
        pending.current = { promise, resolve };
        setOpen(true);
      }
      return pending.current.promise;
    });
    return () => setSessionExpiredHandler(null);
  }, []);

  useEffect(() => {
    const dialog = ref.current;
    if (open && dialog && !dialog.open) dialog.showModal();
    if (!open && dialog?.open) dialog.close();
  }, [open]);

  function finish(ok: boolean) {
    pending.current?.resolve(ok);
    pending.current = null;
    setOpen(false);
    setPassword('');
    setError(null);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const was = userRef.current;
    if (!was) return finish(false);
    setBusy(true);
    try {
      const answer = await login({ email: was.email, password });
      if (answer.user.id === was.id) {
        setMe(answer.user);
        finish(true);
      } else {
        finish(false);
        client.clear();
        setMe(answer.user);
        navigate('/');
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  function elsewhere() {
    finish(false);
    const next = window.location.pathname + window.location.search;
    setMe(null);
    navigate(`/login?next=${encodeURIComponent(next)}&expired=1`);
  }

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => e.preventDefault()}
      data-testid="session-expired"
    >
      {open && user && (
        <form onSubmit={submit} noValidate>
          <h2 id={titleId}>Your session expired</h2>
          <p>
            Sign in again as <strong>{user.email}</strong> to carry on. Nothing on this page is lost: what you were
            saving is saved as soon as you are signed in.
          </p>
          <ProblemMessage error={error} fields={['password']} />
          <Field label="Password" name="password" error={error}>
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="current-password"
                autoFocus
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
          <div className="button-row">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in and carry on'}
            </button>
            <button type="button" className="secondary" onClick={elsewhere}>
              Sign in as someone else
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
