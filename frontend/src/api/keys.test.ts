/**
 * The query keys: each resource's keys start with its root, and each invalidation
 * refreshes exactly what the screens refreshed when they named the keys themselves.
 * The checks run against a real QueryClient, so they test TanStack Query's prefix matching,
 * not a copy of it.
 */
import { QueryClient, type QueryKey } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { articleKeys, articleSavedKeys } from './articles';
import { authKeys } from './auth';
import { claimChangedKeys, claimCreatedKeys, claimDeletedKeys, claimKeys, invalidateAll } from './claims';
import { publishedKeys } from './publishing';
import { ratingScaleKeys, settingsKeys, statsKeys } from './settings';
import { userKeys } from './users';

const filters = { status: 'submitted', assignee: '', article_id: '', rating: '', q: '', overdue: '' };

/** One cached query of every kind the app makes, for two claims of two articles. */
const CACHED: Record<string, QueryKey> = {
  me: authKeys.me(),
  articleList: articleKeys.list(''),
  articleSearch: articleKeys.list('kyiv'),
  articlePicker: articleKeys.picker(),
  articleA: articleKeys.detail('a'),
  publicPageA: articleKeys.publicPage('a', 3, null),
  articleB: articleKeys.detail('b'),
  suggestionsA: articleKeys.suggestionsAt('a', 2),
  suggestionsB: articleKeys.suggestionsAt('b', 1),
  claimList: claimKeys.list(filters),
  deskQueue: claimKeys.queue('desk', 'submitted'),
  myQueue: claimKeys.queue('me', 'assigned,in_review'),
  similarTo: claimKeys.similarTo('inflation is at 4%'),
  claim1: claimKeys.detail('c1'),
  history1: claimKeys.history('c1'),
  comments1: claimKeys.comments('c1'),
  similar1: claimKeys.similar('c1'),
  subject1: claimKeys.subject('c1'),
  claim2: claimKeys.detail('c2'),
  history2: claimKeys.history('c2'),
  activeReviewers: userKeys.reviewers(true),
  allReviewers: userKeys.reviewers(false),
  usersAdmin: userKeys.adminList({ role: '', active: '', q: '' }),
  scale: ratingScaleKeys.scale(),
  scaleWithEtag: ratingScaleKeys.withEtag(),
  settings: settingsKeys.newsroom(),
  stats: statsKeys.desk(),
};

function cache(): QueryClient {
  const client = new QueryClient();
  for (const key of Object.values(CACHED)) client.setQueryData(key, { cached: true });
  return client;
}

/** The names of the cached queries that `keys` mark stale. */
async function refreshed(keys: QueryKey[]): Promise<string[]> {
  const client = cache();
  await invalidateAll(client, keys);
  return Object.entries(CACHED)
    .filter(([, key]) => client.getQueryState(key)?.isInvalidated)
    .map(([name]) => name)
    .sort();
}

describe('query key roots', () => {
  const roots = {
    auth: authKeys.all,
    articles: articleKeys.all,
    claims: claimKeys.all,
    users: userKeys.all,
    ratingScale: ratingScaleKeys.all,
    settings: settingsKeys.all,
    stats: statsKeys.all,
  };

  it('are distinct single names, so refreshing one resource never touches another', () => {
    const names = Object.values(roots).map((r) => r[0]);
    expect(Object.values(roots).every((r) => r.length === 1)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it('begin every key of their resource', async () => {
    for (const [name, key] of Object.entries(CACHED)) {
      const root = Object.values(roots).find((r) => r[0] === key[0]);
      expect(root, `${name} has a known root`).toBeDefined();
    }
    // Refreshing a root refreshes everything cached for that resource, and nothing else.
    expect(await refreshed([claimKeys.all])).toEqual(
      ['claim1', 'claim2', 'claimList', 'comments1', 'deskQueue', 'history1', 'history2', 'myQueue', 'similar1', 'similarTo', 'subject1'],
    );
    expect(await refreshed([ratingScaleKeys.all])).toEqual(['scale', 'scaleWithEtag']);
  });
});

describe('claim keys', () => {
  it('put everything GET /claims answers under lists(), and no single claim', async () => {
    expect(await refreshed([claimKeys.lists()])).toEqual(['claimList', 'deskQueue', 'myQueue', 'similarTo']);
  });

  it('put a claim’s history, comments, similar claims and message subject under its detail', async () => {
    expect(await refreshed([claimKeys.detail('c1')])).toEqual(['claim1', 'comments1', 'history1', 'similar1', 'subject1']);
  });

  it('tell filtered lists and queues apart', () => {
    expect(claimKeys.list(filters)).not.toEqual(claimKeys.list({ ...filters, status: 'approved' }));
    expect(claimKeys.queue('desk', 'submitted')).not.toEqual(claimKeys.queue('me', 'submitted'));
  });
});

describe('article keys', () => {
  it('refresh the public page with its article, but not the suggestions or another article', async () => {
    expect(await refreshed([articleKeys.detail('a')])).toEqual(['articleA', 'publicPageA']);
  });

  it('keep the export picker out of the lists', async () => {
    expect(await refreshed([articleKeys.lists()])).toEqual(['articleList', 'articleSearch']);
  });

  it('refresh every revision of one article’s suggestions', async () => {
    expect(await refreshed([articleKeys.suggestions('a')])).toEqual(['suggestionsA']);
  });
});

describe('user keys', () => {
  it('keep the reviewer pickers apart from the admins’ paged lists', async () => {
    expect(await refreshed([userKeys.adminLists()])).toEqual(['usersAdmin']);
    expect(await refreshed([userKeys.pickers()])).toEqual(['activeReviewers', 'allReviewers']);
    expect(await refreshed([userKeys.all])).toEqual(['activeReviewers', 'allReviewers', 'usersAdmin']);
  });
});

describe('what a mutation refreshes', () => {
  it('a change to a claim: the claim with its parts, the claim lists and its article', async () => {
    expect(await refreshed(claimChangedKeys('c1', 'a'))).toEqual(
      ['articleA', 'claim1', 'claimList', 'comments1', 'deskQueue', 'history1', 'myQueue', 'publicPageA', 'similar1', 'similarTo', 'subject1'],
    );
  });

  it('a change whose answer does not say the article leaves the articles alone', async () => {
    const keys = await refreshed(claimChangedKeys('c1'));
    expect(keys).toContain('claim1');
    expect(keys.filter((k) => k.startsWith('article') || k.startsWith('publicPage'))).toEqual([]);
  });

  it('a new claim: its article, that article’s suggestions and the claim lists', async () => {
    expect(await refreshed(claimCreatedKeys('a'))).toEqual(
      ['articleA', 'claimList', 'deskQueue', 'myQueue', 'publicPageA', 'similarTo', 'suggestionsA'],
    );
  });

  it('a deleted claim: the claim lists, its article and the article lists', async () => {
    expect(await refreshed(claimDeletedKeys('a'))).toEqual(
      ['articleA', 'articleList', 'articleSearch', 'claimList', 'deskQueue', 'myQueue', 'publicPageA', 'similarTo'],
    );
  });

  it('a saved article: the article lists and its suggestions', async () => {
    expect(await refreshed(articleSavedKeys('a'))).toEqual(['articleList', 'articleSearch', 'suggestionsA']);
  });

  it('publishing: the article with its public page, the article and claim lists, the figures', async () => {
    expect(await refreshed(publishedKeys('a'))).toEqual(
      ['articleA', 'articleList', 'articleSearch', 'claimList', 'deskQueue', 'myQueue', 'publicPageA', 'similarTo', 'stats'],
    );
  });

  it('never refreshes the session', async () => {
    const all = [claimChangedKeys('c1', 'a'), claimCreatedKeys('a'), claimDeletedKeys('a'), articleSavedKeys('a'), publishedKeys('a')];
    for (const keys of all) expect(await refreshed(keys)).not.toContain('me');
  });
});
