import { CliError } from './client.js';
import { parseDurationMinutes } from './duration.js';

// Moments people type: an RFC 3339 date-time, a date (midnight UTC), or a duration from now such as 14d or 2h.

export function parseWhen(text: string, flag: string, now = Date.now()): string {
  const raw = text.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(raw)) {
    const ms = Date.parse(raw);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  } else {
    try {
      return new Date(now + parseDurationMinutes(raw) * 60_000).toISOString();
    } catch {
      /* reported below */
    }
  }
  throw new CliError(
    `${flag}: cannot read '${text}': give a date-time (2030-06-30T17:00:00Z), a date (2030-06-30) ` +
      'or a time from now (14d, 36h, 2w)',
    2,
  );
}
