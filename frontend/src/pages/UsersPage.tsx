/**
 * User administration (admins): invite, list with filters, change role, deactivate and
 * reactivate, resend a pending invitation. Changes carry `If-Match`; a 412 shows who
 * changed the user meanwhile, and a 409 (the last active admin) shows the server's words.
 */
import { useId, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, type Role, type User } from '../api/client';
import {
  useInviteUser,
  useReplaceUserRow,
  useResendInvitation,
  useUpdateUser,
  useUserList,
} from '../api/users';
import { useUser } from '../auth/session';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ConflictNotice } from '../components/Conflict';
import { DateTime, Field, ProblemMessage } from '../components/forms';
import { LoadMore } from '../components/LoadMore';
import { usePageTitle } from '../lib/usePageTitle';

const ROLES: { value: Role; label: string }[] = [
  { value: 'reviewer', label: 'Reviewer' },
  { value: 'editor', label: 'Editor' },
  { value: 'admin', label: 'Admin' },
];

const roleLabel = (role: string) => ROLES.find((r) => r.value === role)?.label ?? role;

const USER_LABELS = { role: 'Role', active: 'Active', display_name: 'Name' };

export default function UsersPage() {
  usePageTitle('Users');
  const [params, setParams] = useSearchParams();
  const role = (params.get('role') ?? '') as Role | '';
  const active = params.get('active') ?? '';
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const users = useUserList({ role, active, q });
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];

  function setFilter(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  }

  function submitSearch(e: FormEvent) {
    e.preventDefault();
    setFilter('q', search.trim());
  }

  return (
    <section>
      <h1>Users</h1>
      <InviteForm />

      <h2>Everyone</h2>
      <form className="filters" role="search" onSubmit={submitSearch} aria-label="Filter users">
        <div className="field">
          <label htmlFor="user-role-filter">Filter by role</label>
          <select id="user-role-filter" value={role} onChange={(e) => setFilter('role', e.target.value)}>
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-active-filter">Filter by status</label>
          <select id="user-active-filter" value={active} onChange={(e) => setFilter('active', e.target.value)}>
            <option value="">Active and inactive</option>
            <option value="true">Active</option>
            <option value="false">Inactive</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="user-search">Search name or email</label>
          <input id="user-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <button type="submit">Search</button>
        </div>
      </form>
      <ProblemMessage error={users.error} />
      {users.isPending ? (
        <p role="status">Loading users…</p>
      ) : users.isError ? null : rows.length === 0 ? (
        <p className="notice">No user matches these filters.</p>
      ) : (
        <>
          <ul className="plain user-list">
            {rows.map((u) => (
              <UserRow key={u.id} user={u} />
            ))}
          </ul>
          <LoadMore
            hasNextPage={users.hasNextPage}
            isFetchingNextPage={users.isFetchingNextPage}
            fetchNextPage={users.fetchNextPage}
            shown={rows.length}
          />
        </>
      )}
    </section>
  );
}

function InviteForm() {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('reviewer');
  const invite = useInviteUser({
    onSuccess: () => {
      setEmail('');
      setName('');
    },
  });

  // A 409 here means the address has an account already: show it by the email field.
  const error =
    invite.error instanceof ApiError && invite.error.status === 409 && !invite.error.problem.errors?.length
      ? new ApiError({
          ...invite.error.problem,
          errors: [{ field: 'email', message: invite.error.problem.detail ?? 'has an account already' }],
        })
      : invite.error;

  function submit(e: FormEvent) {
    e.preventDefault();
    invite.mutate({ email: email.trim(), display_name: name.trim(), role });
  }

  return (
    <>
      <h2>Invite someone</h2>
      <p>They get an email with a link to choose a password; the link works for 7 days.</p>
      {invite.isSuccess && (
        <p className="notice notice--ok" role="status">
          Invitation sent to {invite.data.display_name} ({invite.data.email}).
        </p>
      )}
      <ProblemMessage error={error} fields={['email', 'display_name', 'role']} />
      <form onSubmit={submit} noValidate className="panel">
        <div className="form-grid">
          <Field label="Email" name="email" error={error}>
            {(p) => (
              <input
                {...p}
                type="email"
                autoComplete="off"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <Field label="Display name" name="display_name" error={error}>
            {(p) => <input {...p} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label="Role" name="role" error={error}>
            {(p) => (
              <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {ROLES.map((r) => (
                  <option key={r.value} value={r.value}>
                    {r.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <button type="submit" className="primary" disabled={invite.isPending}>
          {invite.isPending ? 'Sending…' : 'Send invitation'}
        </button>
      </form>
    </>
  );
}

type Change = { role?: Role; active?: boolean };

function UserRow({ user }: { user: User }) {
  const me = useUser();
  const id = useId();
  const [role, setRole] = useState<Role>(user.role);
  const [confirmDeactivate, setConfirmDeactivate] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const replaceRow = useReplaceUserRow();

  const update = useUpdateUser(user.id, {
    onSuccess: (next, { change }) => {
      setConfirmDeactivate(false);
      setRole(next.role);
      setDone(
        change.active === false
          ? `${next.display_name} is deactivated and signed out everywhere.`
          : change.active === true
            ? `${next.display_name} is active again.`
            : `${next.display_name} is now ${roleLabel(next.role).toLowerCase()}.`,
      );
    },
    onError: () => {
      setConfirmDeactivate(false);
      setDone(null);
    },
  });

  const resend = useResendInvitation(user.id, {
    onSuccess: () => setDone(`A new invitation is on its way to ${user.email}.`),
  });

  const change = (c: Change) => {
    setDone(null);
    resend.reset();
    update.mutate({ change: c, version: user.version });
  };

  const self = user.id === me.id;
  const status = !user.active ? 'Inactive' : user.invitation_pending ? 'Invitation pending' : 'Active';

  return (
    <li className="user-row" aria-labelledby={`${id}-name`}>
      <div className="user-row__who">
        <h3 id={`${id}-name`} className="user-row__name">
          {user.display_name}
          {self && <span className="muted"> (you)</span>}
        </h3>
        <p className="user-row__email">{user.email}</p>
        <p className="muted user-row__meta">
          <span
            className={`badge${!user.active ? ' badge--bad' : user.invitation_pending ? ' badge--warn' : ' badge--ok'}`}
          >
            {status}
          </span>{' '}
          {roleLabel(user.role)} · last signed in <DateTime value={user.last_login_at} withTime={false} />
        </p>
      </div>
      <div className="user-row__actions">
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (role !== user.role) change({ role });
          }}
        >
          <label htmlFor={`${id}-role`}>Role of {user.display_name}</label>
          <div className="inline-form__row">
            <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
            <button
              type="submit"
              disabled={role === user.role || update.isPending}
              aria-label={`Change role of ${user.display_name}`}
            >
              Change role
            </button>
          </div>
        </form>
        <div className="button-row">
          {user.active ? (
            <button
              type="button"
              className="danger"
              aria-label={`Deactivate ${user.display_name}`}
              onClick={() => {
                update.reset();
                setConfirmDeactivate(true);
              }}
              disabled={update.isPending}
            >
              Deactivate
            </button>
          ) : (
            <button
              type="button"
              onClick={() => change({ active: true })}
              disabled={update.isPending}
              aria-label={`Reactivate ${user.display_name}`}
            >
              Reactivate
            </button>
          )}
          {user.invitation_pending && user.active && (
            <button
              type="button"
              className="secondary"
              onClick={() => resend.mutate()}
              disabled={resend.isPending}
              aria-label={`Resend invitation to ${user.display_name}`}
            >
              {resend.isPending ? 'Sending…' : 'Resend invitation'}
            </button>
          )}
        </div>
      </div>
      <div className="user-row__messages" aria-live="polite">
        {done && <p className="notice notice--ok">{done}</p>}
        {update.error instanceof ApiError && update.error.status === 412 ? (
          <ConflictNotice
            error={update.error}
            mine={user as unknown as Record<string, unknown>}
            labels={USER_LABELS}
            onKeepMine={(current) => {
              const cur = current as User;
              replaceRow(cur);
              if (update.variables) update.mutate({ change: update.variables.change, version: cur.version });
            }}
            onDiscard={(current) => {
              const cur = current as User;
              replaceRow(cur);
              setRole(cur.role);
              update.reset();
            }}
          />
        ) : (
          <ProblemMessage error={update.error} />
        )}
        <ProblemMessage error={resend.error} />
      </div>
      <ConfirmDialog
        open={confirmDeactivate}
        title={`Deactivate ${user.display_name}?`}
        confirmLabel={update.isPending ? 'Deactivating…' : 'Deactivate'}
        danger
        busy={update.isPending}
        onConfirm={() => change({ active: false })}
        onCancel={() => setConfirmDeactivate(false)}
      >
        <p>
          {self ? 'You will be signed out at once. ' : `${user.display_name} is signed out everywhere and cannot sign in. `}
          {user.role === 'reviewer' &&
            'Their assignments stay and are marked “reviewer inactive”; the assigning editors get the list by email.'}
        </p>
      </ConfirmDialog>
    </li>
  );
}
