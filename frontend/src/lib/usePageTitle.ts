import { useEffect } from 'react';

const SITE = 'Factdesk';

/** Sets document.title to "<page> – Factdesk" (or just "Factdesk"). */
export function usePageTitle(page?: string): void {
  useEffect(() => {
    document.title = page ? `${page} – ${SITE}` : SITE;
  }, [page]);
}
