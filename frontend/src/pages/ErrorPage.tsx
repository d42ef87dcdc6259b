import { isRouteErrorResponse, useRouteError } from 'react-router';
import { Layout } from '../components/Layout';
import { usePageTitle } from '../lib/usePageTitle';

/**
 * Shown when rendering a route throws. Replaces React Router's built-in
 * error screen, which uses inline styles that the server's
 * Content-Security-Policy would block.
 */
export function ErrorPage() {
  const error = useRouteError();
  usePageTitle('Something went wrong');
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <Layout>
      <h1>Something went wrong</h1>
      <p>This page could not be shown: {message}</p>
      <p>
        <a href="/">Reload the home page</a>
      </p>
    </Layout>
  );
}
