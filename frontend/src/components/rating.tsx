/** The rating scale, fetched once and shared, and a rating shown with its label and colour. */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Rating } from '../api/client';

export function useRatingScale() {
  return useQuery({
    queryKey: ['rating-scale'],
    queryFn: () => unwrap(api.GET('/api/v1/rating-scale')),
    staleTime: 5 * 60_000,
  });
}

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
