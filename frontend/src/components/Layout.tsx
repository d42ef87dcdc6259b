import { useEffect, useState, type ReactNode } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useSignOut } from '../api/auth';
import { useLiveDesk } from '../api/live';
import { useUnreadCount } from '../api/notifications';
import { useNewReportCount } from '../api/reports';
import { forgetSignedIn, isEditor, useMe } from '../auth/session';
import { SessionExpiredDialog } from '../auth/SessionExpiredDialog';
import { UnsavedChangesGuard } from './UnsavedChangesGuard';

/** The page frame: skip link, site header with the navigation for the user's role, main, footer. */
export function Layout({ children }: { children?: ReactNode }) {
  const me = useMe();
  const user = me.data ?? null;
  const endSession = useSignOut();
  const newReports = useNewReportCount(user !== null && isEditor(user)).data ?? 0;
  // One event stream for the whole app: every screen on show refetches what changed.
  useLiveDesk(user?.id ?? null);
  const unreadCount = useUnreadCount(user !== null);
  const unread = unreadCount.data ?? 0;
  const navigate = useNavigate();
  // On a phone the navigation folds behind a Menu button, and folds again after a move.
  const [menuOpen, setMenuOpen] = useState(false);
  const { pathname } = useLocation();
  useEffect(() => setMenuOpen(false), [pathname]);

  async function signOut() {
    forgetSignedIn();
    try {
      await endSession();
    } finally {
      navigate('/login');
    }
  }

  return (
    <>
      <SessionExpiredDialog />
      <UnsavedChangesGuard />
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container header-row">
          <Link to="/" className="site-title">
            Factdesk
          </Link>
          {user && (
            <button
              type="button"
              className="menu-toggle"
              aria-expanded={menuOpen}
              aria-controls="main-menu"
              onClick={() => setMenuOpen((o) => !o)}
              aria-label={unread ? `Menu, ${unread} unread notifications` : undefined}
            >
              Menu
              {/* On a phone the bell is inside the menu; its count shows on the button. */}
              {unread > 0 && !menuOpen && (
                <span className="nav-count" aria-hidden="true" data-testid="menu-unread">
                  {unread > 99 ? '99+' : unread}
                </span>
              )}
            </button>
          )}
          {user && (
            <nav aria-label="Main" id="main-menu" className={`main-nav${menuOpen ? ' main-nav--open' : ''}`}>
              <ul>
                {isEditor(user) && (
                  <li>
                    <NavLink to="/dashboard">Dashboard</NavLink>
                  </li>
                )}
                <li>
                  <NavLink to="/queue">{isEditor(user) ? 'Queue' : 'My queue'}</NavLink>
                </li>
                {isEditor(user) && (
                  <>
                    <li>
                      <NavLink to="/articles">Articles</NavLink>
                    </li>
                    <li>
                      <NavLink to="/claims">Claims</NavLink>
                    </li>
                    <li>
                      <NavLink to="/exports">Exports</NavLink>
                    </li>
                    <li>
                      <NavLink to="/messages">Message reviewers</NavLink>
                    </li>
                    <li>
                      <NavLink to="/reports">
                        Readers' reports
                        {newReports ? (
                          <span className="nav-count" aria-label={`, ${newReports} new`}>
                            {newReports}
                          </span>
                        ) : null}
                      </NavLink>
                    </li>
                  </>
                )}
                {user.role === 'admin' && (
                  <>
                    <li>
                      <NavLink to="/users">Users</NavLink>
                    </li>
                    <li>
                      <NavLink to="/settings">Settings</NavLink>
                    </li>
                    <li>
                      <NavLink to="/webhooks">Webhooks</NavLink>
                    </li>
                  </>
                )}
              </ul>
            </nav>
          )}
          {user && (
            <div className={`user-menu${menuOpen ? ' user-menu--open' : ''}`}>
              <NavLink
                to="/notifications"
                className="bell"
                data-testid="bell"
                data-unread={unreadCount.isSuccess ? unread : undefined}
                aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
              >
                <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" focusable="false">
                  <path
                    fill="currentColor"
                    d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
                  />
                </svg>
                {unread > 0 && (
                  <span className="nav-count" aria-hidden="true">
                    {unread > 99 ? '99+' : unread}
                  </span>
                )}
              </NavLink>
              <NavLink to="/account" className="user-name">
                {user.display_name}
              </NavLink>
              <button type="button" className="link-button" onClick={signOut}>
                Sign out
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="main" className="container site-main" tabIndex={-1}>
        {children ?? <Outlet />}
      </main>
      <footer className="site-footer">
        <div className="container">
          <a href="/methodology">Our methodology</a> · <a href="/api/docs">API documentation</a>
        </div>
      </footer>
    </>
  );
}
