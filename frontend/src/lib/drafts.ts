/**
 * What a user typed and has not saved yet, kept in this browser's localStorage per user,
 * claim and form until it is saved or discarded, so a reload, a menu click or an
 * expired session loses nothing. The registry of forms with unsaved changes is what
 * the leave-page warning asks.
 */
import { useEffect, useId, useState, useSyncExternalStore } from 'react';

const PREFIX = 'factdesk.draft.v1:';

export interface StoredDraft<T> {
  values: T;
  /** The version of the saved row the typing started from (null: nothing was saved). */
  base: number | null;
  /** When it was last typed (ISO). */
  at: string;
}

/** The storage key of one form of one user: `draftKey(user, 'claim', id, 'verdict')`. */
export function draftKey(userId: string, ...scope: string[]): string {
  return `${PREFIX}${userId}:${scope.join(':')}`;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function readDraft<T>(key: string): StoredDraft<T> | null {
  const raw = storage()?.getItem(key);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as StoredDraft<T>;
    return parsed && typeof parsed === 'object' && 'values' in parsed ? parsed : null;
  } catch {
    return null;
  }
}

export function writeDraft<T>(key: string, values: T, base: number | null, now = new Date()): void {
  try {
    storage()?.setItem(key, JSON.stringify({ values, base, at: now.toISOString() } satisfies StoredDraft<T>));
  } catch {
    // A full or disabled storage: the leave-page warning still protects the typing.
  }
}

export function clearDraft(key: string): void {
  storage()?.removeItem(key);
}

// --- Forms with unsaved changes, for the leave-page warning -------------------------

const unsaved = new Set<string>();
const listeners = new Set<() => void>();
function notify() {
  for (const l of listeners) l();
}

export function hasUnsavedChanges(): boolean {
  return unsaved.size > 0;
}

export function useHasUnsavedChanges(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    hasUnsavedChanges,
  );
}

/** Marks this component's form as holding unsaved changes while `dirty`. */
export function useUnsaved(dirty: boolean): void {
  const id = useId();
  useEffect(() => {
    if (!dirty) return;
    unsaved.add(id);
    notify();
    return () => {
      unsaved.delete(id);
      notify();
    };
  }, [dirty, id]);
}

/**
 * Keeps `values` in localStorage under `key` while `dirty`, drops them when the form is
 * clean again (saved or discarded), and counts the form as unsaved meanwhile.
 */
export function usePersistedDraft<T>(key: string, values: T, dirty: boolean, base: number | null): void {
  useUnsaved(dirty);
  useEffect(() => {
    if (dirty) writeDraft(key, values, base);
    else clearDraft(key);
  }, [key, values, dirty, base]);
}

/**
 * A text field whose unsaved value survives reloads: `[value, setValue, restoredAt, reset]`.
 * `reset` empties it after a save (and forgets the stored draft).
 */
export function useDraftText(key: string): [string, (v: string) => void, string | null, () => void] {
  const [restored] = useState(() => readDraft<string>(key));
  const [value, setValue] = useState(() => (typeof restored?.values === 'string' ? restored.values : ''));
  const [restoredAt, setRestoredAt] = useState(restored && restored.values ? restored.at : null);
  usePersistedDraft(key, value, value.trim() !== '', null);
  return [
    value,
    setValue,
    restoredAt,
    () => {
      setValue('');
      setRestoredAt(null);
    },
  ];
}
