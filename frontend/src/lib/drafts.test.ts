import { afterEach, describe, expect, it } from 'vitest';
import { clearDraft, draftKey, readDraft, writeDraft } from './drafts';

class MemoryStorage {
  private items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

Object.defineProperty(globalThis, 'window', { value: { localStorage: new MemoryStorage() }, configurable: true });

describe('drafts', () => {
  afterEach(() => clearDraft(draftKey('u1', 'claim', 'c1', 'verdict')));

  it('keeps a draft per user, claim and form', () => {
    const key = draftKey('u1', 'claim', 'c1', 'verdict');
    expect(key).toBe('factdesk.draft.v1:u1:claim:c1:verdict');
    writeDraft(key, { summary: 'Half typed' }, 3, new Date('2026-12-02T10:00:00Z'));
    expect(readDraft(key)).toEqual({ values: { summary: 'Half typed' }, base: 3, at: '2026-12-02T10:00:00.000Z' });
    expect(readDraft(draftKey('u2', 'claim', 'c1', 'verdict'))).toBeNull();
  });

  it('forgets a saved draft and ignores a broken one', () => {
    const key = draftKey('u1', 'claim', 'c1', 'verdict');
    writeDraft(key, 'x', null);
    clearDraft(key);
    expect(readDraft(key)).toBeNull();
    window.localStorage.setItem(key, '{not json');
    expect(readDraft(key)).toBeNull();
  });
});
