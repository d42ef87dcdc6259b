import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePastedArticle } from './pastedArticle';

describe('parsePastedArticle', () => {
  it('reads the title, author and date of the seed article', () => {
    const text = readFileSync(new URL('../../../demo/seed-article.txt', import.meta.url), 'utf8');
    const parsed = parsePastedArticle(text);
    expect(parsed.title).toBe(
      'Senior US diplomat visits Belarus, three political prisoners released, NYT reports',
    );
    expect(parsed.author).toBe('Volodymyr Ivanyshyn');
    expect(parsed.publishedOn).toBe('2025-02-15');
    expect(parsed.body.startsWith('Senior US diplomat')).toBe(true);
  });

  it('leaves what it cannot recognise empty', () => {
    const parsed = parsePastedArticle('\n\nJust one paragraph of text.\r\nAnd another.');
    expect(parsed.title).toBe('Just one paragraph of text.');
    expect(parsed.author).toBe('');
    expect(parsed.publishedOn).toBe('');
    expect(parsed.body).toBe('Just one paragraph of text.\nAnd another.');
  });

  it('does not take a whole unbroken text as the title', () => {
    expect(parsePastedArticle('x'.repeat(400)).title).toBe('');
  });
});
