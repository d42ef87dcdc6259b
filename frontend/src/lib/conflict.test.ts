import { describe, expect, it } from 'vitest';
import { changedFields } from './conflict';

describe('changedFields', () => {
  it('lists the fields whose values differ, nested values included', () => {
    const mine = { title: 'A', body: 'x', tags: ['a'], version: 1 };
    const current = { title: 'B', body: 'x', tags: ['a', 'b'], version: 2 };
    expect(changedFields(mine, current, ['title', 'body', 'tags'])).toEqual(['title', 'tags']);
  });

  it('treats a missing field and null alike', () => {
    expect(changedFields({ url: null }, {}, ['url'])).toEqual([]);
  });

  it('returns nothing when either side is not an object', () => {
    expect(changedFields(undefined, { a: 1 }, ['a'])).toEqual([]);
    expect(changedFields({ a: 1 }, [1], ['a'])).toEqual([]);
  });
});
