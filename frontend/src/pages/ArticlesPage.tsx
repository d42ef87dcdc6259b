import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useArticles } from '../api/articles';
import { DateTime, ProblemMessage } from '../components/forms';
import { LoadMore } from '../components/LoadMore';
import { articleStatusLabel } from '../lib/labels';
import { usePageTitle } from '../lib/usePageTitle';


export default function ArticlesPage() {
  usePageTitle('Articles');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const articles = useArticles(q);
  const rows = articles.data?.pages.flatMap((p) => p.items) ?? [];

  function submit(e: FormEvent) {
    e.preventDefault();
    setParams(search.trim() ? { q: search.trim() } : {});
  }

  return (
    <section>
      <div className="page-head">
        <h1>Articles</h1>
        <Link to="/articles/new" className="button-link">
          New article
        </Link>
      </div>
      <form className="filters" role="search" onSubmit={submit}>
        <div className="field">
          <label htmlFor="article-search">Title or outlet</label>
          <input id="article-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <button type="submit">Search</button>
        </div>
      </form>
      <ProblemMessage error={articles.error} />
      {articles.isPending ? (
        <p role="status">Loading articles…</p>
      ) : rows.length === 0 ? (
        <p className="notice">
          {q ? 'No article matches.' : 'No articles yet.'} <Link to="/articles/new">Paste one in</Link> to
          split it into claims.
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Outlet</th>
                <th scope="col">Published</th>
                <th scope="col">Status</th>
                <th scope="col">Claims</th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/articles/${a.id}`}>{a.title}</Link>
                  </td>
                  <td>{a.outlet ?? '—'}</td>
                  <td>{a.published_at ? <DateTime value={a.published_at} withTime={false} /> : '—'}</td>
                  <td>
                    <span className={`badge${a.status === 'published' ? ' badge--ok' : ''}`}>
                      {articleStatusLabel(a.status)}
                    </span>
                  </td>
                  <td>{a.claim_count}</td>
                  <td>
                    <DateTime value={a.created_at} withTime={false} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > 0 && (
        <LoadMore
          hasNextPage={articles.hasNextPage}
          isFetchingNextPage={articles.isFetchingNextPage}
          fetchNextPage={articles.fetchNextPage}
          shown={rows.length}
        />
      )}
    </section>
  );
}
