import { ServerStatus } from '../components/ServerStatus';
import { usePageTitle } from '../lib/usePageTitle';

export function HomePage() {
  usePageTitle();
  return (
    <>
      <h1>Newsroom fact-check desk</h1>
      <p className="lead">
        Factdesk is where a newsroom checks the claims in its stories: editors
        pick a statement out of an article, gather sources and evidence for it,
        and record a verdict. Each published verdict links to its sources and
        to the desk&rsquo;s methodology, so readers can see how the claim was
        checked.
      </p>
      <ServerStatus />
      <h2>For developers</h2>
      <p>
        {/* A server page, not a client route: plain link on purpose. */}
        <a href="/api/docs">API documentation</a>
      </p>
    </>
  );
}
