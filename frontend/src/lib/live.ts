/**
 * The live desk's rules on the client: which cached queries an event makes stale, and
 * who is on a claim's page. Events name what changed, never its content; the app
 * refetches what it shows through the API, which checks what the user may read.
 */
import type { QueryKey } from '@tanstack/react-query';
import { articleKeys } from '../api/articles';
import { claimKeys } from '../api/claims';
import type { Schemas } from '../api/client';
import { notificationKeys } from '../api/notifications';
import { reportKeys } from '../api/reports';
import { ratingScaleKeys, settingsKeys, statsKeys } from '../api/settings';
import { userKeys } from '../api/users';
import { webhookKeys } from '../api/webhooks';

export type LiveEvent = Schemas['LiveEventView'];

const CLAIM_PARTS = new Set(['claim', 'assignment', 'verdict', 'source', 'comment', 'reply', 'review', 'figure']);

/** The queries an event makes stale (refetched at once where they are on screen). */
export function staleKeys(e: LiveEvent): QueryKey[] {
  if (CLAIM_PARTS.has(e.entity)) {
    return [
      ...(e.claim_id ? [claimKeys.detail(e.claim_id)] : []),
      claimKeys.lists(),
      ...(e.article_id ? [articleKeys.detail(e.article_id)] : []),
      // Claim counts and statuses show in the articles list and on the dashboard.
      ...(e.entity === 'claim' || e.entity === 'assignment' ? [articleKeys.lists()] : []),
      statsKeys.all,
    ];
  }
  switch (e.entity) {
    case 'article':
      return [articleKeys.detail(e.entity_id), articleKeys.lists(), articleKeys.suggestions(e.entity_id)];
    case 'publication':
      return [
        ...(e.article_id ? [articleKeys.detail(e.article_id)] : []),
        articleKeys.lists(),
        claimKeys.lists(),
        statsKeys.all,
      ];
    case 'error_report':
      return [reportKeys.all];
    case 'user':
      return [userKeys.all];
    case 'settings':
      return [settingsKeys.all];
    case 'rating_scale':
      return [ratingScaleKeys.all];
    case 'notification':
      return [notificationKeys.all];
    case 'webhook':
      return [webhookKeys.all];
    default:
      return [];
  }
}

/** Someone on a claim's page, as their last presence event said. */
export interface Presence {
  userId: string;
  name: string;
  activity: 'viewing' | 'editing';
  field: string | null;
  expiresAt: number;
}

/** The people on a claim's page after `e` (a presence event), without expired ones. */
export function applyPresence(list: Presence[], e: LiveEvent, now: number): Presence[] {
  const rest = list.filter((p) => p.userId !== e.actor_id && p.expiresAt > now);
  if (!e.actor_id || (e.action !== 'viewing' && e.action !== 'editing')) return rest;
  const detail = (e.detail ?? {}) as { field?: string | null; expires_at?: string };
  const expiresAt = detail.expires_at ? Date.parse(detail.expires_at) : now + 45_000;
  if (!(expiresAt > now)) return rest;
  return [
    ...rest,
    {
      userId: e.actor_id,
      name: e.actor_name ?? 'Someone',
      activity: e.action as Presence['activity'],
      field: detail.field ?? null,
      expiresAt,
    },
  ].sort((a, b) => a.name.localeCompare(b.name));
}

const FIELD_WORDS: Record<string, string> = {
  verdict: 'the verdict',
  sources: 'the sources',
  comment: 'a comment',
  claim: 'the claim',
};

/** "Rita is viewing", "Rita is editing the verdict". */
export function presenceWords(p: Presence): string {
  if (p.activity === 'editing') return `${p.name} is editing ${FIELD_WORDS[p.field ?? ''] ?? 'this claim'}`;
  return `${p.name} is viewing`;
}

/** What an event says happened to a claim's verdict, in words for a notice. */
export function changeWords(e: Pick<LiveEvent, 'actor_name' | 'entity'>): string {
  const who = e.actor_name ?? 'Someone';
  return `${who} changed ${FIELD_WORDS[e.entity === 'source' ? 'sources' : e.entity] ?? 'this claim'}`;
}
