/** A rating shown with its label and colour. The scale itself is `useRatingScale` (api/settings). */
import type { Rating } from '../api/client';

export { useRatingScale } from '../api/settings';

export function RatingLabel({ rating, scale }: { rating?: string | null; scale?: Rating[] }) {
  if (!rating) return <span className="muted">No rating yet</span>;
  const r = scale?.find((x) => x.key === rating);
  return (
    <span className="rating">
      {r && <span className="rating-swatch" aria-hidden="true" style={{ backgroundColor: r.color }} />}
      {r?.label ?? rating}
    </span>
  );
}
