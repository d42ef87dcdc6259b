/**
 * Times as the app shows them: in the viewer's time zone with the zone named, and
 * deadlines also relative to now ("due in 3 hours", "overdue by 2 days").
 */

const MINUTE: [string, number] = ['minute', 60_000];
const UNITS: [string, number][] = [['day', 86_400_000], ['hour', 3_600_000], MINUTE];

/** "3 hours", "2 days", "1 minute": the largest unit that fits, rounded down, at least a minute. */
export function spanInWords(ms: number, locale?: string): string {
  const abs = Math.abs(ms);
  const [unit, size] = UNITS.find(([, size]) => abs >= size) ?? MINUTE;
  const n = Math.max(1, Math.floor(abs / size));
  // Intl.NumberFormat's unit style says "3 hours" in the viewer's language.
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(n);
}

/** "due in 3 hours" or "overdue by 2 days", from the deadline and now. */
export function dueInWords(due: string | Date, now: Date = new Date(), locale?: string): string {
  const ms = new Date(due).getTime() - now.getTime();
  return ms >= 0 ? `due in ${spanInWords(ms, locale)}` : `overdue by ${spanInWords(ms, locale)}`;
}

/** A date and time in the viewer's zone, the zone named: "2 Dec 2026, 01:33 EET". */
export function formatDateTime(value: string | Date, locale?: string, timeZone?: string): string {
  return new Date(value).toLocaleString(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }) + ` ${zoneName(value, locale, timeZone)}`;
}

/** The short name of the zone at that moment ("EET", "GMT+2"). */
export function zoneName(value: string | Date, locale?: string, timeZone?: string): string {
  const part = new Intl.DateTimeFormat(locale, { timeZoneName: 'short', timeZone })
    .formatToParts(new Date(value))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? '';
}

/** A date alone, in the viewer's zone. */
export function formatDate(value: string | Date, locale?: string, timeZone?: string): string {
  return new Date(value).toLocaleDateString(locale, { dateStyle: 'medium', timeZone });
}
