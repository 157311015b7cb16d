// When a schedule is fetched again. Pure.

/** How often remote schedules are fetched when nothing asks sooner. */
export const DEFAULT_SYNC_INTERVAL_MS = 5 * 60_000;
/** A builtin rotation needs no fetch; it is re-read only to write grants further ahead. */
export const BUILTIN_REFRESH_MS = 6 * 3600_000;
const FIRST_RETRY_MS = 15_000;

/** LATCH_ON_CALL_SYNC_MINUTES (whole minutes, 1 to 1440), else the default. */
export function onCallSyncIntervalMs(env: Record<string, string | undefined>): number {
  const raw = env.LATCH_ON_CALL_SYNC_MINUTES;
  if (raw === undefined || raw === '') return DEFAULT_SYNC_INTERVAL_MS;
  const minutes = Number(raw);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
    throw new Error(
      `LATCH_ON_CALL_SYNC_MINUTES must be a whole number of minutes from 1 to 1440, not '${raw}'`,
    );
  return minutes * 60_000;
}

/**
 * The next sync after one that worked: the provider's interval, but sooner when grants must be written
 * further ahead, and before the stored shifts run out (halfway to the end of the window they cover).
 */
export function nextSyncAfterSuccess(
  now: Date,
  intervalMs: number,
  windowEnd: Date,
  refreshBy: (Date | null)[],
): Date {
  const halfway = now.getTime() + Math.max(1000, Math.floor((windowEnd.getTime() - now.getTime()) / 2));
  const times = [
    now.getTime() + intervalMs,
    halfway,
    ...refreshBy.filter((d): d is Date => d !== null).map((d) => d.getTime()),
  ];
  return new Date(Math.min(...times));
}

/** After the n-th failure in a row: 15 s, 30 s, 1 min ... never longer than the interval. */
export function nextSyncAfterFailure(
  now: Date,
  failures: number,
  intervalMs: number,
  refreshBy: (Date | null)[],
): Date {
  const backoff = Math.min(intervalMs, FIRST_RETRY_MS * 2 ** Math.min(20, Math.max(0, failures - 1)));
  const times = [
    now.getTime() + backoff,
    ...refreshBy.filter((d): d is Date => d !== null).map((d) => d.getTime()),
  ];
  return new Date(Math.max(now.getTime() + 1000, Math.min(...times)));
}
