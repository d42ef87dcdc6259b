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
const page = (load: () => Promise<{ default: ComponentType }>) => lazy(load);
const ForgotPasswordPage = page(() => import('./pages/ForgotPasswordPage'));
const TokenPasswordPage = page(() => import('./pages/TokenPasswordPage'));
const QueuePage = page(() => import('./pages/QueuePage'));
const DashboardPage = page(() => import('./pages/DashboardPage'));
const ArticlesPage = page(() => import('./pages/ArticlesPage'));
const NewArticlePage = page(() => import('./pages/NewArticlePage'));
const ArticlePage = page(() => import('./pages/ArticlePage'));
const PublishPage = page(() => import('./pages/PublishPage'));
const ClaimsPage = page(() => import('./pages/ClaimsPage'));
const ClaimPage = page(() => import('./pages/ClaimPage'));
const ExportsPage = page(() => import('./pages/ExportsPage'));
const UsersPage = page(() => import('./pages/UsersPage'));
const SettingsPage = page(() => import('./pages/SettingsPage'));
const MessagesPage = page(() => import('./pages/MessagesPage'));
const AccountPage = page(() => import('./pages/AccountPage'));

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
      { path: 'articles/:id', element: signedIn(<ArticlePage />, EDITORS) },
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
