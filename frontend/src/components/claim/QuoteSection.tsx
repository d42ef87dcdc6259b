/** The quote, in its article for editors (reviewers cannot read the article API: quote only). */
import type { ReactNode } from 'react';
import { useArticle } from '../../api/articles';
import type { Claim } from '../../api/client';
import { quoteInContext } from '../../lib/claimPage';

export function QuoteSection({ claim, editor }: { claim: Claim; editor: boolean }) {
  const article = useArticle(claim.article_id, { enabled: editor });

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

  if (editor && article.isPending) {
    body = (
      <>
        {body}
        <p className="muted">Loading the article…</p>
      </>
    );
  } else if (editor && article.data?.body != null && !claim.anchor_lost) {
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
  } else if (editor && article.isError) {
    body = (
      <>
        {body}
        <p className="muted">The article could not be loaded: {article.error.message}</p>
      </>
    );
  }

  return (
    <section aria-labelledby="claim-quote-h" className="panel">
      <h2 id="claim-quote-h">{editor ? 'Quote in context' : 'Quote'}</h2>
      {lost && lostNotice}
      {body}
    </section>
  );
}
