import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { ApiError, type Role } from './api/client';
import { isEditor, RequireAuth, useMe } from './auth/session';
import { Layout } from './components/Layout';
import { ErrorPage } from './pages/ErrorPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';

// Every screen but the login page is its own chunk, loaded when first visited.
const loaders = {
  forgotPassword: () => import('./pages/ForgotPasswordPage'),
  tokenPassword: () => import('./pages/TokenPasswordPage'),
  queue: () => import('./pages/QueuePage'),
  dashboard: () => import('./pages/DashboardPage'),
  articles: () => import('./pages/ArticlesPage'),
  newArticle: () => import('./pages/NewArticlePage'),
  article: () => import('./pages/ArticlePage'),
  publish: () => import('./pages/PublishPage'),
  claims: () => import('./pages/ClaimsPage'),
  claim: () => import('./pages/ClaimPage'),
  exports: () => import('./pages/ExportsPage'),
  users: () => import('./pages/UsersPage'),
  settings: () => import('./pages/SettingsPage'),
  messages: () => import('./pages/MessagesPage'),
  account: () => import('./pages/AccountPage'),
} satisfies Record<string, () => Promise<{ default: ComponentType }>>;
const page = (load: () => Promise<{ default: ComponentType }>) => lazy(load);
const ForgotPasswordPage = page(loaders.forgotPassword);
const TokenPasswordPage = page(loaders.tokenPassword);
const QueuePage = page(loaders.queue);
const DashboardPage = page(loaders.dashboard);
const ArticlesPage = page(loaders.articles);
const NewArticlePage = page(loaders.newArticle);
const ArticlePage = page(loaders.article);
const PublishPage = page(loaders.publish);
const ClaimsPage = page(loaders.claims);
const ClaimPage = page(loaders.claim);
const ExportsPage = page(loaders.exports);
const UsersPage = page(loaders.users);
const SettingsPage = page(loaders.settings);
const MessagesPage = page(loaders.messages);
const AccountPage = page(loaders.account);

// The first screen's code is fetched while the session is being checked, not after.
const FIRST_SCREEN: Record<string, () => Promise<unknown>> = {
  queue: loaders.queue,
  dashboard: loaders.dashboard,
  articles: loaders.articles,
  claims: loaders.claims,
  exports: loaders.exports,
  users: loaders.users,
  settings: loaders.settings,
  messages: loaders.messages,
  account: loaders.account,
};
function preloadFirstScreen(pathname: string) {
  const [first = '', second] = pathname.split('/').filter(Boolean);
  if (first === 'claims' && second) void loaders.claim();
  else if (first === 'articles' && second === 'new') void loaders.newArticle();
  else if (first === 'articles' && second) void loaders.article();
  else void FIRST_SCREEN[first]?.();
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
      { path: 'users', element: signedIn(<UsersPage />, ['admin']) },
      { path: 'settings', element: signedIn(<SettingsPage />, ['admin']) },
      { path: 'account', element: signedIn(<AccountPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

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

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
