import { describe, expect, it } from 'vitest';
import { articleKeys } from '../api/articles';
import { claimKeys } from '../api/claims';
import { reportKeys } from '../api/reports';
import { statsKeys } from '../api/settings';
import { applyPresence, changeWords, presenceWords, staleKeys, type LiveEvent } from './live';

const base: LiveEvent = {
  id: 1,
  at: '2026-12-03T09:00:00Z',
  entity: 'verdict',
  entity_id: 'v1',
  action: 'update',
  version: 4,
  actor_id: 'rita',
  actor_name: 'Rita',
  claim_id: 'c1',
  article_id: 'a1',
  detail: null,
};

describe('staleKeys', () => {
  it('refreshes a claim, the lists, its article and the dashboard after a change of its parts', () => {
    expect(staleKeys(base)).toEqual([claimKeys.detail('c1'), claimKeys.lists(), articleKeys.detail('a1'), statsKeys.all]);
  });

  it('refreshes the articles list too when the claim or its reviewers change (counts, statuses)', () => {
    expect(staleKeys({ ...base, entity: 'assignment' })).toContainEqual(articleKeys.lists());
  });

  it('refreshes an article, its list and its suggestions after an article edit', () => {
    expect(staleKeys({ ...base, entity: 'article', entity_id: 'a2', claim_id: null })).toEqual([
      articleKeys.detail('a2'),
      articleKeys.lists(),
      articleKeys.suggestions('a2'),
    ]);
  });

  it('refreshes the readers’ reports inbox, and nothing for what no screen shows', () => {
    expect(staleKeys({ ...base, entity: 'error_report', claim_id: null })).toEqual([reportKeys.all]);
    expect(staleKeys({ ...base, entity: 'message', claim_id: null })).toEqual([]);
  });
});

describe('presence', () => {
  const now = Date.parse('2026-12-03T09:00:00Z');
  const seen = (action: string, field: string | null, actor = 'rita', name = 'Rita'): LiveEvent => ({
    ...base,
    entity: 'presence',
    action,
    actor_id: actor,
    actor_name: name,
    detail: { field, expires_at: '2026-12-03T09:00:45Z' },
  });

  it('keeps one entry per person, the newest, sorted by name', () => {
    let list = applyPresence([], seen('viewing', null), now);
    list = applyPresence(list, seen('viewing', null, 'ana', 'Ana'), now);
    list = applyPresence(list, seen('editing', 'verdict'), now);
    expect(list.map(presenceWords)).toEqual(['Ana is viewing', 'Rita is editing the verdict']);
  });

  it('drops someone who left, and anyone whose presence expired', () => {
    const list = applyPresence([], seen('viewing', null), now);
    expect(applyPresence(list, seen('left', null), now)).toEqual([]);
    expect(applyPresence(list, seen('viewing', null, 'ana', 'Ana'), now + 60_000)).toEqual([]);
  });

  it('says who changed what', () => {
    expect(changeWords({ actor_name: 'Rita', entity: 'verdict' })).toBe('Rita changed the verdict');
    expect(changeWords({ actor_name: null, entity: 'source' })).toBe('Someone changed the sources');
  });
});
