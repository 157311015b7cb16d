// The one definition of a point in time a caller may give: an RFC 3339 date-time with an explicit offset (Z
// or ±hh:mm), on a real calendar day and clock time, from 1970-01-01T00:00:00Z up to the end of the year 9999
// in UTC. Refused: impossible dates (Feb 30), hour 24, leap seconds (a Date cannot hold one, and the
// database would move them to the next minute), years outside four digits, and times without an offset
// (their instant would depend on the server's zone). Accepted text denotes the same instant for `new Date`
// as for this rule (a test holds them together), so callers may convert with either.

export const EARLIEST_TIMESTAMP_MS = Date.UTC(1970, 0, 1);
export const LATEST_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const TIMESTAMP_RANGE = '1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The instant `text` denotes, in ms since the epoch, or null when it is not a timestamp by the rule above.
 * `secondsOptional` admits `hh:mm` without seconds, which builtin rotation configs have always allowed.
 */
export function timestampMs(text: unknown, opts: { secondsOptional?: boolean } = {}): number | null {
  if (typeof text !== 'string') return null;
  const m = RFC3339.exec(text);
  if (!m) return null;
  if (m[6] === undefined && !opts.secondsOptional) return null;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 3, 4, 5, 6, 9, 10].map(
    (i) => Number(m[i] ?? 0),
  ) as [number, number, number, number, number, number, number, number];
  // Offsets move an instant by less than a day, so a local year before 1969 is out of range (and Date.UTC
  // would read years 0-99 as 1900-1999).
  if (year < 1969 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const instant = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset;
  return instant >= EARLIEST_TIMESTAMP_MS && instant <= LATEST_TIMESTAMP_MS ? instant : null;
}

export const isTimestamp = (text: unknown): text is string => timestampMs(text) !== null;
