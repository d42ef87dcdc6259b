import { describe, expect, it } from 'vitest';
import { exportQuery, filenameFromDisposition, type ExportFilters } from './download';

const empty: ExportFilters = {
  format: 'csv',
  from: '',
  to: '',
  article_id: '',
  reviewer: '',
  rating: '',
  status: [],
};

describe('exportQuery', () => {
  it('sends only the format when no filter is set', () => {
    expect(exportQuery(empty)).toBe('format=csv');
  });

  it('joins statuses with commas and trims values', () => {
    const q = new URLSearchParams(
      exportQuery({ ...empty, format: 'md', from: ' 2025-02-01 ', rating: 'false', status: ['approved', 'published'] }),
    );
    expect(q.get('format')).toBe('md');
    expect(q.get('from')).toBe('2025-02-01');
    expect(q.get('rating')).toBe('false');
    expect(q.get('status')).toBe('approved,published');
    expect(q.has('to')).toBe(false);
  });

  it('defaults an empty format to csv', () => {
    expect(exportQuery({ ...empty, format: '' })).toBe('format=csv');
  });
});

describe('filenameFromDisposition', () => {
  it('reads a quoted filename', () => {
    expect(filenameFromDisposition('attachment; filename="factdesk-verdicts-2025-02-20.csv"', 'x')).toBe(
      'factdesk-verdicts-2025-02-20.csv',
    );
  });

  it('reads an unquoted filename', () => {
    expect(filenameFromDisposition('attachment; filename=report.md', 'x')).toBe('report.md');
  });

  it('prefers filename* and decodes it', () => {
    expect(
      filenameFromDisposition(`attachment; filename="a.csv"; filename*=UTF-8''v%C3%A9rdicts.csv`, 'x'),
    ).toBe('vérdicts.csv');
  });

  it('falls back when the header is missing or empty', () => {
    expect(filenameFromDisposition(null, 'fallback.csv')).toBe('fallback.csv');
    expect(filenameFromDisposition('attachment', 'fallback.csv')).toBe('fallback.csv');
  });

  it('strips path separators and leading dots', () => {
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"', 'x')).toBe('_.._etc_passwd');
  });
});
