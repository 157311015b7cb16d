// How times and durations read in the UI: durations in words, countdowns as h:mm:ss, dates in local time.

export function formatMinutes(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(plural(days, 'day'));
  if (hours) parts.push(plural(hours, 'hour'));
  if (mins || parts.length === 0) parts.push(plural(mins, 'minute'));
  return parts.join(' ');
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
const two = (n: number) => String(n).padStart(2, '0');

/** A countdown as people read it on a clock: `1:02:03`, or `3 d 4 h` when a day or more is left. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days} d ${hours} h`;
  return `${hours}:${two(minutes)}:${two(seconds)}`;
}

/** The same, in words and whole minutes, for screen readers. */
export function remainingInWords(ms: number): string {
  const minutes = Math.ceil(Math.max(0, ms) / 60_000);
  if (minutes <= 0) return 'ended';
  return `${formatMinutes(minutes)} left`;
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay ? `today ${timeOnly.format(d)}` : dateTime.format(d);
}

/** An instant as a `datetime-local` input value in the browser's time zone; '' when it is not one. */
export function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** `datetime-local` input value (local time) to RFC 3339, or undefined when empty. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "5 minutes ago", "in 2 hours": a moment near now as people say it; under a minute "just now", past a week
 * its date. */
export function formatRelative(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  const size = Math.abs(diff);
  if (size < 60_000) return 'just now';
  if (size >= 7 * 86_400_000) return formatDateTime(iso);
  const [unit, ms]: [Intl.RelativeTimeFormatUnit, number] =
    size >= 86_400_000 ? ['day', 86_400_000] : size >= 3_600_000 ? ['hour', 3_600_000] : ['minute', 60_000];
  return relative.format(Math.trunc(diff / ms), unit);
}
