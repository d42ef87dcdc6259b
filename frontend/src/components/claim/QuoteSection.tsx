/**
 * The quote highlighted in its paragraph, with the sentences around it. Everyone who
 * may see the claim may read its article (a reviewer sees only their own claims in it).
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { useArticle } from '../../api/articles';
import type { Claim } from '../../api/client';
import { quoteInContext } from '../../lib/claimPage';

export function QuoteSection({ claim, article }: { claim: Claim; article: ReturnType<typeof useArticle> }) {

  const lostNotice = (
    <p className="notice notice--warn">
      The article text has changed since this claim was made: the quote may no longer be there.
    </p>
  );

  let body: ReactNode = (
    <blockquote className="claim-quote">
      <p>{claim.quote}</p>
    </blockquote>
  );
  let lost = claim.anchor_lost;

  if (article.isPending) {
    body = (
      <>
        {body}
        <p className="muted">Loading the article…</p>
      </>
    );
  } else if (article.data?.body != null && !claim.anchor_lost) {
    const ctx = quoteInContext(article.data.body, claim, claim.quote);
    if (ctx.mismatch) {
      lost = true;
    } else {
      body = (
        <blockquote className="claim-quote article-text">
          <p>
            {ctx.clippedStart && '… '}
            {ctx.before}
            <mark>{ctx.quote}</mark>
            {ctx.after}
            {ctx.clippedEnd && ' …'}
          </p>
        </blockquote>
      );
    }
  } else if (article.isError) {
    body = (
      <>
        {body}
        <p className="muted">The article could not be loaded: {article.error.message}</p>
      </>
    );
  }

  return (
    <section aria-labelledby="claim-quote-h" className="panel">
      <h2 id="claim-quote-h">Quote in context</h2>
      {lost && lostNotice}
      {body}
      <p>
        <Link to={`/articles/${claim.article_id}#claim-${claim.id}`}>Read the whole article</Link>
      </p>
    </section>
  );
}
