import { describe, expect, it } from 'vitest';
import { deliveryState, eventInWords, WEBHOOK_EVENTS } from './webhooks';

describe('deliveryState', () => {
  it('names each stage of a delivery', () => {
    expect(deliveryState({ delivered_at: '2026-12-03T10:00:00Z', failed_at: null, attempts: 3 })).toEqual({
      label: 'Delivered',
      tone: 'ok',
    });
    expect(deliveryState({ delivered_at: null, failed_at: '2026-12-03T10:00:00Z', attempts: 15 }).label).toBe('Given up');
    expect(deliveryState({ delivered_at: null, failed_at: null, attempts: 0 }).label).toBe('Waiting');
    expect(deliveryState({ delivered_at: null, failed_at: null, attempts: 1 }).label).toBe('Retrying (1 attempt failed)');
    expect(deliveryState({ delivered_at: null, failed_at: null, attempts: 4 }).tone).toBe('warn');
  });
});

describe('eventInWords', () => {
  it('has words for every event and the test event', () => {
    expect(new Set(WEBHOOK_EVENTS.map((e) => e.event)).size).toBe(8);
    expect(eventInWords('claim.submitted')).toBe('A reviewer submits a verdict');
    expect(eventInWords('webhook.test')).toBe('Test event');
    expect(eventInWords('something.new')).toBe('something.new');
  });
});
