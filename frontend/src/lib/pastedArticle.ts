/**
 * Reads the metadata out of an article pasted as plain text: the first line is the
 * title, and a byline such as "by Volodymyr Ivanyshyn February 15, 2025 11:25 PM"
 * gives the author and the date. What cannot be recognised is left empty, never guessed.
 */
export interface PastedArticle {
  title: string;
  author: string;
  /** `YYYY-MM-DD`, for an <input type="date">. */
  publishedOn: string;
  body: string;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const BYLINE = new RegExp(
  `^by\\s+(.+?)\\s+(${MONTHS.join('|')})\\s+(\\d{1,2}),\\s+(\\d{4})\\b`,
  'i',
);

export function parsePastedArticle(text: string): PastedArticle {
  const normalised = text.replace(/\r\n?/g, '\n').trim();
  const lines = normalised.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  const title = first >= 0 && (lines[first] ?? '').trim().length <= 300 ? (lines[first] ?? '').trim() : '';
  let author = '';
  let publishedOn = '';
  for (const line of lines.slice(0, 6)) {
    const m = BYLINE.exec(line.trim());
    if (m) {
      author = (m[1] ?? '').trim();
      const month = MONTHS.indexOf((m[2] ?? '').toLowerCase()) + 1;
      publishedOn = `${m[4]}-${String(month).padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`;
      break;
    }
  }
  return { title, author, publishedOn, body: normalised };
}
