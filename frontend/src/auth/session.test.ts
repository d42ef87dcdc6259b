import { describe, expect, it } from 'vitest';
import { forRolesText, isEditor, safeNext } from './session';

describe('safeNext (where the login page sends the user back to)', () => {
  it('keeps paths inside the app, with their query', () => {
    expect(safeNext('/claims/42?tab=history')).toBe('/claims/42?tab=history');
  });

  it('refuses other sites and protocol-relative addresses', () => {
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('javascript:alert(1)')).toBe('/');
  });

  it('never loops back to the login page, and defaults to the home page', () => {
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('')).toBe('/');
  });
});

describe('isEditor', () => {
  it('counts admins as editors and reviewers not', () => {
    expect(isEditor({ role: 'admin' })).toBe(true);
    expect(isEditor({ role: 'editor' })).toBe(true);
    expect(isEditor({ role: 'reviewer' })).toBe(false);
  });
});

describe('forRolesText (the "Not for your role" sentence)', () => {
  it('puts every role in the plural and the signed-in role after the right article', () => {
    expect(forRolesText(['editor', 'admin'], 'reviewer')).toBe(
      'This page is for editors and admins. You are signed in as a reviewer.',
    );
    expect(forRolesText(['admin'], 'editor')).toBe('This page is for admins. You are signed in as an editor.');
  });
});
