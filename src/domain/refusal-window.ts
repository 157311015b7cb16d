// How refusals are written to the audit log without letting a caller flood it: per key (an actor and a route, a
// source address ...) at most one event per window. The first refusal of a window is written at once; those
// after it are held back and counted, and the next event for the key carries them. Pure; the caller keeps the
// window between calls.

export const REFUSAL_WINDOW_MS = 60_000;

export interface RefusalWindow {
  /** When the last event for the key was written, in epoch milliseconds. */
  writtenAt: number;
  /** Refusals since then that wrote nothing. */
  held: number;
  /** When the first of those was, in epoch milliseconds; null when none is held. */
  heldSince: number | null;
}

/** What the event written for a refusal stands for: `count` refusals, the first of them at `since`. */
export interface RefusalRecord {
  count: number;
  since: number;
}

export type Admission = { window: RefusalWindow; record: RefusalRecord | null };

/** Notes a refusal at `at`: the event to write now (the held ones included), or null while the window is open. */
export function admitRefusal(
  window: RefusalWindow | undefined,
  at: number,
  windowMs = REFUSAL_WINDOW_MS,
): Admission {
  if (window && at - window.writtenAt < windowMs)
    return {
      window: { ...window, held: window.held + 1, heldSince: window.heldSince ?? at },
      record: null,
    };
  return {
    window: { writtenAt: at, held: 0, heldSince: null },
    record: { count: 1 + (window?.held ?? 0), since: window?.heldSince ?? at },
  };
}

/** A window that holds nothing back and has closed says nothing a missing one would not: it may be dropped. */
export const isSpent = (window: RefusalWindow, at: number, windowMs = REFUSAL_WINDOW_MS) =>
  window.held === 0 && at - window.writtenAt >= windowMs;
