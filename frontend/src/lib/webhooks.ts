/** Webhooks in words: the events an endpoint can hear, and how a delivery went. */
import type { Delivery, WebhookEvent } from '../api/webhooks';

/** The events an endpoint can subscribe to, in the order the form lists them. */
export const WEBHOOK_EVENTS: { event: WebhookEvent; label: string }[] = [
  { event: 'claim.assigned', label: 'A claim is assigned to a reviewer' },
  { event: 'claim.submitted', label: 'A reviewer submits a verdict' },
  { event: 'claim.approved', label: 'An editor approves a verdict' },
  { event: 'claim.overdue', label: 'A claim is past its due time' },
  { event: 'article.published', label: 'A verdict summary is published' },
  { event: 'article.corrected', label: 'A published page is corrected' },
  { event: 'article.unpublished', label: 'A published page is taken down' },
  { event: 'error_report.created', label: 'A reader reports an error' },
];

export function eventInWords(event: string): string {
  if (event === 'webhook.test') return 'Test event';
  return WEBHOOK_EVENTS.find((e) => e.event === event)?.label ?? event;
}

export type DeliveryTone = 'ok' | 'warn' | 'bad' | 'neutral';

/** Where a delivery stands: delivered, waiting for its first try, retrying, or given up. */
export function deliveryState(d: Pick<Delivery, 'delivered_at' | 'failed_at' | 'attempts'>): {
  label: string;
  tone: DeliveryTone;
} {
  if (d.delivered_at) return { label: 'Delivered', tone: 'ok' };
  if (d.failed_at) return { label: 'Given up', tone: 'bad' };
  if (d.attempts === 0) return { label: 'Waiting', tone: 'neutral' };
  return { label: `Retrying (${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'} failed)`, tone: 'warn' };
}
