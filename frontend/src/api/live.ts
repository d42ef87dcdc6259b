/**
 * The live desk in the browser: one event stream per signed-in tab (`GET /api/v1/events`,
 * Server-Sent Events), which marks stale what each change touches so every screen on
 * show refetches it; who is on a claim's page; and what the last change of a claim was,
 * so a form being typed in can say "Rita changed the verdict" before a save is tried.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { applyPresence, staleKeys, type LiveEvent, type Presence } from '../lib/live';
import { authKeys } from './auth';
import { notificationKeys } from './notifications';

type Listener = () => void;

/** A tiny external store: a value and the components that show it. */
function store<T>(initial: T) {
  let value = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => value,
    set(next: T) {
      value = next;
      for (const l of listeners) l();
    },
    subscribe(l: Listener) {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
  };
}

export type LiveStatus = 'off' | 'connecting' | 'live';
const status = store<LiveStatus>('off');
// The page says whether it is live (`<html data-live="live">`), for scripts and tests.
status.subscribe(() => {
  document.documentElement.dataset.live = status.get();
});
/** Presence per claim id (others only). */
const presence = store<Record<string, Presence[]>>({});
/** The last change by someone else, per claim id and entity (`id:verdict`). */
const lastChanges = store<Record<string, LiveEvent>>({});

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(status.subscribe, status.get);
}

function parse(message: MessageEvent): LiveEvent | null {
  try {
    return JSON.parse(message.data as string) as LiveEvent;
  } catch {
    return null;
  }
}

/**
 * Subscribes once while `userId` is signed in. The browser reconnects by itself (with
 * `Last-Event-ID`, so nothing is missed); when the stream had to be opened anew, every
 * query is refetched once, as after a `reset`.
 */
export function useLiveDesk(userId: string | null) {
  const client = useQueryClient();
  useEffect(() => {
    if (!userId || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retry: number | undefined;
    let reopened = false;
    const open = () => {
      status.set('connecting');
      source = new EventSource('/api/v1/events');
      source.addEventListener('ready', () => {
        status.set('live');
        if (reopened) void client.invalidateQueries();
      });
      source.addEventListener('change', (m) => {
        const e = parse(m);
        if (!e) return;
        // The bell's number comes with the event: no request for it.
        const unread = (e.detail as { unread?: unknown } | null)?.unread;
        if (e.entity === 'notification' && typeof unread === 'number') {
          client.setQueryData(notificationKeys.unread(), unread);
        }
        for (const queryKey of staleKeys(e)) {
          if (e.entity === 'notification' && queryKey === notificationKeys.all) {
            void client.invalidateQueries({ queryKey: [...notificationKeys.all, 'list'] });
          } else {
            void client.invalidateQueries({ queryKey });
          }
        }
        if (e.claim_id && e.actor_id !== userId) {
          lastChanges.set({ ...lastChanges.get(), [`${e.claim_id}:${e.entity}`]: e });
        }
      });
      source.addEventListener('presence', (m) => {
        const e = parse(m);
        if (!e?.claim_id || e.actor_id === userId) return;
        const all = presence.get();
        presence.set({ ...all, [e.claim_id]: applyPresence(all[e.claim_id] ?? [], e, Date.now()) });
      });
      source.addEventListener('reset', () => void client.invalidateQueries());
      source.addEventListener('end', () => {
        // The session ended: the next request finds out and asks to sign in again.
        source?.close();
        status.set('off');
        void client.invalidateQueries({ queryKey: authKeys.me() });
      });
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED) {
          status.set('off');
          reopened = true;
          retry = window.setTimeout(open, 15_000);
        } else {
          status.set('connecting');
        }
      };
    };
    open();
    return () => {
      window.clearTimeout(retry);
      source?.close();
      status.set('off');
    };
  }, [userId, client]);
}

/** Who else is on this claim's page now (expired presences drop off by themselves). */
export function usePresenceOn(claimId: string): Presence[] {
  const all = useSyncExternalStore(presence.subscribe, presence.get);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 5_000);
    return () => window.clearInterval(t);
  }, []);
  return (all[claimId] ?? []).filter((p) => p.expiresAt > now);
}

/** The last change someone else made to this claim's `entity`, while this tab was open. */
export function useLastChange(claimId: string, entity: string): LiveEvent | undefined {
  return useSyncExternalStore(lastChanges.subscribe, () => lastChanges.get()[`${claimId}:${entity}`]);
}

/** Forms being typed in, per claim (the presence announcer says which). */
const editing = store<Record<string, string | null>>({});

export function setEditing(claimId: string, field: string, on: boolean) {
  const all = editing.get();
  const now = all[claimId] ?? null;
  if (on && now !== field) editing.set({ ...all, [claimId]: field });
  else if (!on && now === field) editing.set({ ...all, [claimId]: null });
}

/**
 * Presence is best effort and must never ask anyone to sign in: a plain request, its
 * failure ignored. `keepalive` lets "left" go out while the page unloads.
 */
function announce(claimId: string, body: { activity: string; field?: string | null }, keepalive = false) {
  void fetch(`/api/v1/claims/${encodeURIComponent(claimId)}/presence`, {
    method: 'POST',
    credentials: 'same-origin',
    keepalive,
    headers: { 'content-type': 'application/json', 'x-requested-with': 'factdesk' },
    body: JSON.stringify(body),
  }).catch(() => undefined);
}

const RENEW_MS = 20_000;

/** Says this user is on the claim's page (and which form they type in), renewed while open. */
export function useAnnouncePresence(claimId: string) {
  const field = useSyncExternalStore(editing.subscribe, () => editing.get()[claimId] ?? null);
  useEffect(() => {
    const say = () => announce(claimId, field ? { activity: 'editing', field } : { activity: 'viewing' });
    say();
    const t = window.setInterval(say, RENEW_MS);
    return () => window.clearInterval(t);
  }, [claimId, field]);
  useEffect(() => {
    const leave = () => announce(claimId, { activity: 'left' }, true);
    window.addEventListener('pagehide', leave);
    return () => {
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [claimId]);
}
