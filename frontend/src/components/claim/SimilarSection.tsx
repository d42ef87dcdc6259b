/** Earlier claims that read like this one, with their verdicts. */
import { useSimilarClaims } from '../../api/claims';
import { SimilarList } from '../SimilarClaims';

export function SimilarSection({ claimId }: { claimId: string }) {
  const similar = useSimilarClaims(claimId);
  return (
    <section aria-labelledby="claim-similar-h" className="panel">
      <h2 id="claim-similar-h">Similar earlier claims</h2>
      {similar.isPending && <p className="muted">Looking for similar claims…</p>}
      {similar.isError && (
        <p className="notice notice--bad" role="alert">
          Similar claims could not be loaded: {similar.error.message}
        </p>
      )}
      {similar.data && <SimilarList items={similar.data} />}
    </section>
  );
}
