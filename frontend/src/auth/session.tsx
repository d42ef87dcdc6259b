/** Who is signed in, from `GET /auth/me`, shared through TanStack Query. */
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../api/auth';
import type { Role, User } from '../api/client';

export { useMe };

/** The signed-in user; only for components under <RequireAuth>. */
export function useUser(): User {
  const { data } = useMe();
  if (!data) throw new Error('useUser outside <RequireAuth>');
  return data;
}

export function isEditor(user: Pick<User, 'role'>): boolean {
  return user.role === 'editor' || user.role === 'admin';
}

/** Where to go back to after signing in: only paths inside this app. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) {
    return '/';
  }
  return next;
}

/** Someone was signed in in this tab: a missing session now means it expired. */
let signedInHere = false;
export function forgetSignedIn() {
  signedInHere = false;
}

export function RequireAuth({ children, roles }: { children: ReactNode; roles?: Role[] }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <p role="status">Loading…</p>;
  if (me.isError) return <p role="alert">Could not reach the server: {me.error.message}</p>;
  if (!me.data) {
    const next = location.pathname + location.search;
    const expired = signedInHere ? '&expired=1' : '';
    return <Navigate to={`/login?next=${encodeURIComponent(next)}${expired}`} replace />;
  }
  signedInHere = true;
  if (roles && !roles.includes(me.data.role)) return <NotForYourRole roles={roles} role={me.data.role} />;
  return <>{children}</>;
}

/** "This page is for editors and admins. You are signed in as an admin." */
export function forRolesText(roles: readonly Role[], role: Role): string {
  const plural = roles.map((r) => `${r}s`);
  const list = plural.length > 1 ? `${plural.slice(0, -1).join(', ')} and ${plural[plural.length - 1]}` : plural[0];
  const article = /^[aeiou]/.test(role) ? 'an' : 'a';
  return `This page is for ${list}. You are signed in as ${article} ${role}.`;
}

/** What a page says to a user whose role it is not for. */
export function NotForYourRole({ roles, role }: { roles: Role[]; role: Role }) {
  return (
    <section>
      <h1>Not for your role</h1>
      <p>{forRolesText(roles, role)}</p>
    </section>
  );
}
