/**
 * The platform's business day. Gravity sells in mainland China, so a merchant's "today" and every
 * daily figure follow China Standard Time (Asia/Shanghai: UTC+8 all year, no daylight saving),
 * whatever time zone the server, the database session or the browser runs in: an order paid at
 * 00:30 in Beijing counts for that day, not for the UTC day before.
 */
export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

const dateInZone = new Intl.DateTimeFormat('en-CA', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The business date (YYYY-MM-DD) an instant falls on. */
export function businessDate(at: Date): string {
  return dateInZone.format(at);
}

const DAY_MS = 86_400_000;

/** The `count` business dates ending with the one `now` falls on, oldest first. */
export function lastBusinessDays(now: Date, count: number): string[] {
  // Calendar arithmetic on the date alone (midnight UTC of that date): no zone, no DST involved.
  const today = Date.parse(`${businessDate(now)}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) =>
    new Date(today - (count - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  );
}
