import type { ReactNode } from 'react';
import { Link, Outlet } from 'react-router';

/** The page frame: skip link, site header, main landmark, footer. */
export function Layout({ children }: { children?: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container">
          <Link to="/" className="site-title">
            Factdesk
          </Link>
        </div>
      </header>
      <main id="main" className="container site-main" tabIndex={-1}>
        {children ?? <Outlet />}
      </main>
      <footer className="site-footer">
        <div className="container">
          <a href="/api/docs">API documentation</a>
        </div>
      </footer>
    </>
  );
}
