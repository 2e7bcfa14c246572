/** Calendar days as `YYYY-MM-DD` in UTC: how due dates, evidence validity and readiness are compared. */
const DAY_MS = 86_400_000;

export const toIsoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** The day `days` after (or before, when negative) an ISO day. */
export const addDays = (day: string, days: number): string => toIsoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
