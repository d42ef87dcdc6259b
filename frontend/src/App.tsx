import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { articleQuery } from './api/articles';
import { claimQuery } from './api/claims';
import { ApiError, type Role } from './api/client';
import { isEditor, RequireAuth, useMe } from './auth/session';
import { Layout } from './components/Layout';
import { ErrorPage } from './pages/ErrorPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';

/**
 * Every screen but the login page is its own chunk, loaded when first visited. A screen
 * whose chunk is loaded already renders at once instead of through `lazy`: suspending
 * would hold the page back for React's Suspense reveal throttle (about 300 ms) even
 * though the code is there.
 */
function screen(load: () => Promise<{ default: ComponentType }>) {
  let loaded: ComponentType | undefined;
  const preload = () =>
    load().then((m) => {
      loaded = m.default;
      return m;
    });
  const Lazy = lazy(preload);
  function Screen() {
    return loaded ? createElement(loaded) : createElement(Lazy);
  }
  return Object.assign(Screen, { preload });
}
const ForgotPasswordPage = screen(() => import('./pages/ForgotPasswordPage'));
const TokenPasswordPage = screen(() => import('./pages/TokenPasswordPage'));
const QueuePage = screen(() => import('./pages/QueuePage'));
const DashboardPage = screen(() => import('./pages/DashboardPage'));
const ArticlesPage = screen(() => import('./pages/ArticlesPage'));
const NewArticlePage = screen(() => import('./pages/NewArticlePage'));
const ArticlePage = screen(() => import('./pages/ArticlePage'));
const PublishPage = screen(() => import('./pages/PublishPage'));
const ClaimsPage = screen(() => import('./pages/ClaimsPage'));
const ClaimPage = screen(() => import('./pages/ClaimPage'));
const ExportsPage = screen(() => import('./pages/ExportsPage'));
const UsersPage = screen(() => import('./pages/UsersPage'));
const SettingsPage = screen(() => import('./pages/SettingsPage'));
const MessagesPage = screen(() => import('./pages/MessagesPage'));
const ReportsPage = screen(() => import('./pages/ReportsPage'));
const AccountPage = screen(() => import('./pages/AccountPage'));
const NotificationsPage = screen(() => import('./pages/NotificationsPage'));
const WebhooksPage = screen(() => import('./pages/WebhooksPage'));

// The first screen's code is fetched while the session is being checked, not after.
const FIRST_SCREEN: Record<string, { preload: () => Promise<unknown> }> = {
  queue: QueuePage,
  dashboard: DashboardPage,
  articles: ArticlesPage,
  claims: ClaimsPage,
  exports: ExportsPage,
  users: UsersPage,
  settings: SettingsPage,
  messages: MessagesPage,
  reports: ReportsPage,
  account: AccountPage,
  notifications: NotificationsPage,
  webhooks: WebhooksPage,
};
function preloadFirstScreen(pathname: string) {
  const [first = '', second] = pathname.split('/').filter(Boolean);
  if (first === 'claims' && second) void ClaimPage.preload();
  else if (first === 'articles' && second === 'new') void NewArticlePage.preload();
  else if (first === 'articles' && second) void ArticlePage.preload();
  else void FIRST_SCREEN[first]?.preload();
  // The screens every role moves between come next, once the first one is up.
  window.setTimeout(() => {
    for (const s of [QueuePage, ClaimPage, ArticlePage]) void s.preload().catch(() => undefined);
  }, 1500);
}
preloadFirstScreen(window.location.pathname);

const EDITORS: Role[] = ['editor', 'admin'];

function signedIn(element: ReactNode, roles?: Role[]) {
  return (
    <RequireAuth roles={roles}>
      <Suspense fallback={<p role="status">Loading…</p>}>{element}</Suspense>
    </RequireAuth>
  );
}

function Home() {
  const me = useMe();
  if (me.isPending) return <p role="status">Loading…</p>;
  if (!me.data) return <Navigate to="/login" replace />;
  return <Navigate to={isEditor(me.data) ? '/dashboard' : '/queue'} replace />;
}

const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <ErrorPage />,
    children: [
      { index: true, element: <Home /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'forgot-password', element: <Suspense><ForgotPasswordPage /></Suspense> },
      { path: 'reset-password', element: <Suspense><TokenPasswordPage /></Suspense> },
      { path: 'accept-invite', element: <Suspense><TokenPasswordPage /></Suspense> },
      { path: 'queue', element: signedIn(<QueuePage />) },
      { path: 'dashboard', element: signedIn(<DashboardPage />, EDITORS) },
      { path: 'articles', element: signedIn(<ArticlesPage />, EDITORS) },
      { path: 'articles/new', element: signedIn(<NewArticlePage />, EDITORS) },
      { path: 'articles/:id', element: signedIn(<ArticlePage />) },
      { path: 'articles/:id/publish', element: signedIn(<PublishPage />, EDITORS) },
      { path: 'claims', element: signedIn(<ClaimsPage />, EDITORS) },
      { path: 'claims/:id', element: signedIn(<ClaimPage />) },
      { path: 'exports', element: signedIn(<ExportsPage />, EDITORS) },
      { path: 'messages', element: signedIn(<MessagesPage />, EDITORS) },
      { path: 'reports', element: signedIn(<ReportsPage />, EDITORS) },
      { path: 'users', element: signedIn(<UsersPage />, ['admin']) },
      { path: 'settings', element: signedIn(<SettingsPage />, ['admin']) },
      { path: 'webhooks', element: signedIn(<WebhooksPage />, ['admin']) },
      { path: 'account', element: signedIn(<AccountPage />) },
      { path: 'notifications', element: signedIn(<NotificationsPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

/**
 * A fresh load of a claim or an article page asks for its data at once, beside the
 * session check, instead of after it: the page finds it in the cache. Without a
 * session the answer is a 401 that nobody waits for; the sign-in page follows as ever.
 */
function prefetchFirstData(pathname: string) {
  const [first = '', second] = pathname.split('/').filter(Boolean);
  if (!second || second === 'new') return;
  if (first === 'claims') void queryClient.prefetchQuery(claimQuery(second));
  else if (first === 'articles') void queryClient.prefetchQuery(articleQuery(second));
}

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 4xx answers will not change by asking again; network errors and 5xx may.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

prefetchFirstData(window.location.pathname);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
